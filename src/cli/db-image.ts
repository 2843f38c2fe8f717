/**
 * npm run db:image — builds the embedded database image a first `npm start` copies (ADR 0031), if today's is
 * missing. `npm install` runs it (postinstall); the app also builds it at the first start that needs it.
 */
import { ensureImage } from '../embedded-image.js';
import { createLogger } from '../platform/logger.js';

const logger = createLogger({ logLevel: 'info', env: 'development' });
const started = performance.now();
const image = await ensureImage(logger);
console.log(`embedded database image: ${image} (${Math.round(performance.now() - started)} ms)`);
