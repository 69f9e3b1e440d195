# syntax=docker/dockerfile:1
# Build: docker build -t cdaudit .
# Run:   docker run --rm -v "$PWD:/repo:ro" cdaudit audit /repo
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/cdaudit ./cmd/cdaudit

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/cdaudit /usr/local/bin/cdaudit
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/cdaudit"]
CMD ["--help"]
