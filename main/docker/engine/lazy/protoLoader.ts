import { lazyModule } from './lazyModule';

/** `@grpc/proto-loader`, loaded on first use (see lazyModule). */
export = lazyModule('@grpc/proto-loader');
