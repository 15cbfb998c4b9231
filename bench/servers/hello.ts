import { Hono } from 'hono';
import { serveChild } from '../lib/serve-child';

/** The baseline: a bare Hono app on @hono/node-server, the most any route here could do. */
const app = new Hono().get('/', (c) => c.text('Hello Hono!'));

serveChild(app.fetch);
