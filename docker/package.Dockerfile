# cognito-twin's image built from an installed package (node_modules/cognito-twin), which has
# the compiled dist/emulator but neither the TypeScript sources nor package-lock.json that
# docker/Dockerfile builds from. The testcontainers module (buildImage) uses it when it finds
# no image; in a clone it uses docker/Dockerfile instead. Dependencies are resolved from
# package.json's ranges, as `npm install` in an app would. Classic-builder instructions only.
#
#   docker build -f docker/package.Dockerfile --build-arg BASE_IMAGE=node:20-slim -t cognito-twin:local .
ARG BASE_IMAGE=node:20-slim

FROM ${BASE_IMAGE} AS install
WORKDIR /src
COPY package.json ./
# No lifecycle script is needed (the code is compiled); optional peers (testcontainers) stay out.
RUN npm install --omit=dev --ignore-scripts --no-package-lock --no-audit --no-fund --loglevel=warn \
 && mkdir -p /out/data

FROM ${BASE_IMAGE}
# The same settings, user, health check and entry point as docker/Dockerfile.
ENV NODE_ENV=production \
    COGNITO_TWIN_HOST=0.0.0.0 \
    COGNITO_TWIN_PORT=9229
WORKDIR /config
COPY --from=install --chown=1000:1000 /out/data /data
WORKDIR /app
COPY --from=install /src/package.json ./package.json
COPY --from=install /src/node_modules ./node_modules
COPY dist/emulator ./dist/emulator
USER node
EXPOSE 9229
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.COGNITO_TWIN_PORT||9229)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/emulator/cli.js"]
