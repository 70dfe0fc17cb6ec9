// A Worker starts with plain Node, without the tsx loader the CLI registered in the main thread
// (loader hooks are per thread): register it here, then load the TypeScript thread body.
import { register } from 'tsx/esm/api';

register();
await import('./thread-main.ts');
