import { lazyModule } from './lazyModule';

/** `protobufjs`, loaded on first use (see lazyModule). */
export = lazyModule('protobufjs');
