#!/usr/bin/env node
// The image's HEALTHCHECK (slim images have no curl): exit 0 when this container's service answers
// GET /health/live on its PORT (the sandboxes answer any /health path), 1 otherwise.
'use strict';
/* global fetch, AbortSignal */
const port = process.env.PORT || '4000';
fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2500) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
