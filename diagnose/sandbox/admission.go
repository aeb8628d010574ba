package sandbox

import (
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// AdmissionDenied creates a Deployment of image whose ReplicaSet cannot
// create its pod: an admission webhook refuses it. The ReplicaSet wants one
// replica, has none and carries the replicaset-controller's FailedCreate
// warning with message, as the controller words it ("Error creating:
// admission webhook \"…\" denied the request: …"). It returns the name the
// pod would have had; no such pod exists.
func (w *World) AdmissionDenied(ns, name, image, message string) string {
	one := int32(1)
	tmpl := corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}}}
	o := w.owners(ns, name, tmpl)
	since := metav1.NewTime(sandboxEpoch)
	// The conditions carry the API server's error, without the event's prefix.
	failure := strings.TrimPrefix(message, "Error creating: ")
	o.rs.Spec.Replicas = &one
	o.rs.Status = appsv1.ReplicaSetStatus{Conditions: []appsv1.ReplicaSetCondition{{Type: appsv1.ReplicaSetReplicaFailure,
		Status: corev1.ConditionTrue, Reason: "FailedCreate", Message: failure, LastTransitionTime: since}}}
	o.deploy.Spec.Replicas = &one
	o.deploy.Status = appsv1.DeploymentStatus{UnavailableReplicas: 1, Conditions: []appsv1.DeploymentCondition{
		{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionFalse, Reason: "MinimumReplicasUnavailable",
			Message: "Deployment does not have minimum availability.", LastUpdateTime: since, LastTransitionTime: since},
		{Type: appsv1.DeploymentReplicaFailure, Status: corev1.ConditionTrue, Reason: "FailedCreate",
			Message: failure, LastUpdateTime: since, LastTransitionTime: since},
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "ReplicaSetUpdated",
			Message: fmt.Sprintf("ReplicaSet %q is progressing.", o.rs.Name), LastUpdateTime: since, LastTransitionTime: since},
	}}
	w.create(o.deploy)
	w.create(o.rs)
	w.controllerEvent(corev1.ObjectReference{Kind: "Deployment", APIVersion: "apps/v1", Namespace: ns, Name: name, UID: o.deploy.UID},
		corev1.EventTypeNormal, "ScalingReplicaSet", fmt.Sprintf("Scaled up replica set %s from 0 to 1", o.rs.Name), "deployment-controller", 1)
	w.controllerEvent(corev1.ObjectReference{Kind: "ReplicaSet", APIVersion: "apps/v1", Namespace: ns, Name: o.rs.Name, UID: o.rs.UID},
		corev1.EventTypeWarning, "FailedCreate", message, "replicaset-controller", 7)
	return o.pod
}

// controllerEvent records an event a controller sent count times about obj.
func (w *World) controllerEvent(obj corev1.ObjectReference, typ, reason, msg, component string, count int32) {
	first := metav1.NewTime(sandboxEpoch)
	last := metav1.NewTime(sandboxEpoch.Add(time.Duration(count-1) * 30 * time.Second))
	w.create(&corev1.Event{ObjectMeta: metav1.ObjectMeta{Namespace: obj.Namespace, Name: fmt.Sprintf("%s.%s", obj.Name, suffix(reason+obj.Name, 16))},
		InvolvedObject: obj, Reason: reason, Message: msg, Type: typ, Count: count,
		FirstTimestamp: first, LastTimestamp: last, Source: corev1.EventSource{Component: component}})
}
