// The same suite, with setup reading compose files through Compose v2.
import './useComposeV2';
import '../compose/validatedVariables.test';
