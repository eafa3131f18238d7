# One image for every aigw service; the command picks the service (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY libs libs
COPY services services
COPY test/package.json test/package.json
COPY bench bench
COPY tsconfig.base.json tsconfig.build.json ./
# npm install, not npm ci: chdb's optional per-platform packages are not all in the lock file.
RUN npm install --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production AIGW_CONFIG=/etc/aigw/aigw.yaml
WORKDIR /app
COPY --from=build --chown=node:node /app /app
COPY --chown=node:node aigw.yaml /etc/aigw/aigw.yaml
USER node
# Standalone by default; compose runs services/<name>/dist/main.js per service.
CMD ["node", "services/standalone/dist/main.js"]
