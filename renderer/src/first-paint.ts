/**
 * Runs before the app's bundle (a classic script first in <head>, built by vite.config.ts): paints the kept picture of the start-up screen
 * (modules/app/utils/firstPaint.ts) while the app loads and its database opens.
 */
import { paintFirstPaint } from './modules/app/utils/firstPaint';

try {
  paintFirstPaint();
} catch (error) {
  // Without a picture the app starts as it would anyway.
  console.warn('The start-up picture could not be painted', error);
}
