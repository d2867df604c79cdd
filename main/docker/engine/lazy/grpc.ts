import { lazyModule } from './lazyModule';

/** `@grpc/grpc-js`, loaded on first use (see lazyModule). */
export = lazyModule('@grpc/grpc-js');
