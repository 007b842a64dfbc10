# Champion Rota: built by .ci/prod-build.sh (the same script CI's production-build step runs, so the
# two cannot drift), run on a slim image as a non-root user.
FROM node:20-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Clean copy, npm ci, build, npm prune --omit=dev; /out/app is what runs.
RUN .ci/prod-build.sh /src /out

FROM node:20-slim
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    DATABASE_URL=/data/champion-rota.sqlite
WORKDIR /app
COPY --from=build --chown=node:node /out/app ./
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The app runs its migrations before it listens, so no request ever meets an old schema.
CMD ["node", "dist/src/server.js"]
