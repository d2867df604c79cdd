import { lazyModule } from './lazyModule';

/** `tar-fs`, loaded on first use: dockerode's util requires it when it loads, but only builds and archive copies pack files. */
export = lazyModule('tar-fs');
