package diagnose

import (
	"context"

	"github.com/pullcheck/pullcheck/diagnose/registry"
)

// checkStorageQuota: storage at its limit blocks pushes, not pulls: a warning.
func checkStorageQuota(ctx context.Context, t *Target) (Result, error) {
	if rf, err := t.registryProbe(ctx); err == nil && rf.Problem == registry.ProblemStorageQuota {
		// The registry itself cites the storage quota for this pull.
		return fail("the registry refuses the pull citing the storage quota", []Remedy{freeStorageRemedy()},
			fact("registry", "HTTP %d %s %s", rf.StatusCode, rf.Code, truncate(rf.Message, 200)))
	}
	q, err := t.quota(ctx)
	if err != nil {
		return Result{}, err
	}
	f := fact("storage "+q.region, "%s of %s", bytesText(q.StorageUsed), limitText(q.StorageLimit))
	if q.StorageLimit >= 0 && q.StorageUsed >= q.StorageLimit {
		res, _ := warn("registry storage is at its limit: pushes fail until images are deleted", f)
		res.Remedies = []Remedy{freeStorageRemedy()}
		return res, nil
	}
	return pass("registry storage is below its limit", f)
}

func freeStorageRemedy() Remedy {
	return manualRemedy("Free registry storage", "Shows usage; delete old images or raise the storage quota.",
		"ibmcloud cr quota && ibmcloud cr image-prune-untagged && ibmcloud cr quota-set --storage <megabytes>")
}
