# calndro: the app image used by docker-compose.yaml.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source (its prebuilt download is not relied on).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
RUN npm ci
COPY src ./src
COPY templates ./templates
# tsx, the prisma CLI and TypeScript are build tools: --omit=optional also drops the two that
# stay as optional peers of @prisma/client.
RUN npm run build && npm prune --omit=dev --omit=optional

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 SMTP_HOST=0.0.0.0 DATA_DIR=/data DATABASE_URL=file:/data/calndro.db
# glibc gives each thread that allocates its own malloc arena; with the parse and delivery
# threads and SQLite's, two arenas hold ~15 MB less RSS under load than the default (README, Benchmarks).
ENV MALLOC_ARENA_MAX=2
COPY --from=build /app /app
# A new named volume is a copy of the image's directory, owner included: without this /data is
# root's and the node user cannot create the SQLite file or secret.key.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 8000 2525
USER node
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "--enable-source-maps", "dist/main.js"]
