# pullcheck's container image: a static binary on distroless (CA certificates,
# tzdata, a non-root user), read-only root filesystem friendly.
#   docker build --build-arg VERSION=$(git describe --tags --always) -t pullcheck .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/pullcheck ./cmd/pullcheck

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/pullcheck /pullcheck
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/pullcheck"]
CMD ["serve"]
