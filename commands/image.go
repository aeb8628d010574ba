package commands

import (
	"context"
	"errors"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/pullcheck/pullcheck/internal/egress"
)

// checkImage refuses to probe the registry of an image a user typed unless
// Images allows its host: pullcheck must not become a way to reach what
// the cluster's network holds. A pod's own images are not checked: the
// cluster pulls them already.
func (s *Service) checkImage(ctx context.Context, image string) error {
	ref, err := name.ParseReference(image)
	if err != nil {
		return usagef("%q is not an image reference (example: image us.icr.io/shop/web:1.2)", clip(image))
	}
	err = s.Images.Check(ctx, ref.Context().RegistryStr())
	var r *egress.Refusal
	if errors.As(err, &r) {
		return refusef("pullcheck does not probe %s: %s. An operator can allow a registry in PULLCHECK_IMAGE_REGISTRIES "+
			"(example: quay.io,registry.example.com:5000)", clip(r.Host), r.Reason)
	}
	return err
}
