package sandbox

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// NewClientset is a fake clientset holding objs that behaves like an API
// server in what the fixers rely on and the fake's object tracker ignores:
//
//   - every write gives the object a new resourceVersion;
//   - an update carrying a stale resourceVersion is a 409 Conflict;
//   - a JSON patch whose operations fail (a "test") is a 422, as in the
//     apiserver's patch handler;
//   - a delete whose UID precondition does not match is a 409 Conflict;
//   - a dry run validates but persists nothing.
//
// The fake serialises every call (Fake.Invokes holds its lock while
// reactors run), so the server needs no lock of its own. Reactors prepended
// later run before it, which is how tests inject failures.
func NewClientset(objs ...runtime.Object) *fake.Clientset {
	cs := fake.NewClientset(objs...)
	s := &apiServer{tracker: cs.Tracker(), react: k8stesting.ObjectReaction(cs.Tracker()), rv: 100}
	cs.PrependReactor("*", "*", s.serve)
	return cs
}

type apiServer struct {
	tracker k8stesting.ObjectTracker
	react   k8stesting.ReactionFunc
	rv      int
}

func (s *apiServer) serve(a k8stesting.Action) (bool, runtime.Object, error) {
	switch a := a.(type) {
	case k8stesting.CreateActionImpl:
		return s.create(a)
	case k8stesting.UpdateActionImpl:
		return s.update(a)
	case k8stesting.PatchActionImpl:
		return s.patch(a)
	case k8stesting.DeleteActionImpl:
		return s.delete(a)
	}
	return s.react(a)
}

// nextVersion stamps obj with a new resourceVersion.
func (s *apiServer) nextVersion(obj runtime.Object) {
	s.rv++
	m, _ := meta.Accessor(obj)
	m.SetResourceVersion(strconv.Itoa(s.rv))
}

func isDryRun(opts []string) bool { return len(opts) == 1 && opts[0] == metav1.DryRunAll }

func (s *apiServer) create(a k8stesting.CreateActionImpl) (bool, runtime.Object, error) {
	m, _ := meta.Accessor(a.Object)
	if m.GetResourceVersion() != "" {
		return true, nil, apierrors.NewBadRequest("resourceVersion should not be set on objects to be created")
	}
	s.nextVersion(a.Object)
	if !isDryRun(a.CreateOptions.DryRun) {
		return s.react(a)
	}
	if _, err := s.tracker.Get(a.Resource, a.Namespace, m.GetName()); err == nil {
		return true, nil, apierrors.NewAlreadyExists(a.Resource.GroupResource(), m.GetName())
	}
	return true, a.Object, nil
}

func (s *apiServer) update(a k8stesting.UpdateActionImpl) (bool, runtime.Object, error) {
	m, _ := meta.Accessor(a.Object)
	cur, err := s.tracker.Get(a.Resource, a.Namespace, m.GetName())
	if err != nil {
		return true, nil, err
	}
	cm, _ := meta.Accessor(cur)
	if rv := m.GetResourceVersion(); rv != "" && rv != cm.GetResourceVersion() {
		return true, nil, apierrors.NewConflict(a.Resource.GroupResource(), m.GetName(),
			errors.New("the object has been modified; please apply your changes to the latest version and try again"))
	}
	s.nextVersion(a.Object)
	if isDryRun(a.UpdateOptions.DryRun) {
		return true, a.Object, nil
	}
	return s.react(a)
}

func (s *apiServer) patch(a k8stesting.PatchActionImpl) (bool, runtime.Object, error) {
	before, err := s.tracker.Get(a.Resource, a.Namespace, a.Name)
	if err != nil {
		return true, nil, err
	}
	_, obj, err := s.react(a)
	var status apierrors.APIStatus
	if err != nil && !errors.As(err, &status) {
		return true, nil, apierrors.NewGenericServerResponse(http.StatusUnprocessableEntity, "", schema.GroupResource{}, "", err.Error(), 0, false)
	}
	if err != nil {
		return true, nil, err
	}
	if isDryRun(a.PatchOptions.DryRun) {
		return true, obj, s.tracker.Update(a.Resource, before, a.Namespace)
	}
	s.nextVersion(obj)
	return true, obj, s.tracker.Update(a.Resource, obj, a.Namespace)
}

func (s *apiServer) delete(a k8stesting.DeleteActionImpl) (bool, runtime.Object, error) {
	cur, err := s.tracker.Get(a.Resource, a.Namespace, a.Name)
	if err != nil {
		return true, nil, err
	}
	cm, _ := meta.Accessor(cur)
	if p := a.DeleteOptions.Preconditions; p != nil && p.UID != nil && *p.UID != cm.GetUID() {
		return true, nil, apierrors.NewConflict(a.Resource.GroupResource(), a.Name,
			fmt.Errorf("Precondition failed: UID in precondition: %v, UID in object meta: %v", *p.UID, cm.GetUID()))
	}
	if isDryRun(a.DeleteOptions.DryRun) {
		return true, nil, nil
	}
	return s.react(a)
}
