// The same suite, with setup reading compose files and running instances through Compose v2.
import './useComposeV2';
import '../compose/portRanges.test';
