// dist/server.js: the language server the VS Code client starts (stdio).
import { startLanguageServer } from './server';

startLanguageServer();
