import { lazyModule } from './lazyModule';

/** `zlib`, loaded on first use: dockerode's util requires it when it loads, but only image builds compress. */
export = lazyModule('node:zlib');
