package diagnose

import "context"

// checkStorageQuota: storage at its limit blocks pushes, not pulls: a warning.
func checkStorageQuota(ctx context.Context, t *Target) (Result, error) {
	q, err := t.quota(ctx)
	if err != nil {
		return Result{}, err
	}
	f := fact("storage "+q.region, "%s of %s", bytesText(q.StorageUsed), limitText(q.StorageLimit))
	if q.StorageLimit >= 0 && q.StorageUsed >= q.StorageLimit {
		res, _ := warn("registry storage is at its limit: pushes fail until images are deleted", f)
		res.Remedies = []Remedy{manualRemedy("Free registry storage", "Shows usage; delete old images or raise the storage quota.",
			"ibmcloud cr quota && ibmcloud cr image-prune-untagged && ibmcloud cr quota-set --storage <megabytes>")}
		return res, nil
	}
	return pass("registry storage is below its limit", f)
}
