// The same suite, under Compose v2.
import './useComposeV2';
import '../docker/adoptSeedClone.test';
