import { lazyModule } from './lazyModule';

/** `https`, loaded on first use: docker-modem requires it when it loads, but only a TLS endpoint uses it (tls and crypto cost ~10 ms). */
export = lazyModule('node:https');
