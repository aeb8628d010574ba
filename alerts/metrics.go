package alerts

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Metrics are pullcheck's Prometheus metrics. A nil *Metrics records nothing.
// Those of diagnoses and alerts carry a cluster label when pullcheck
// serves several clusters (NewClusterMetrics); with one, they have the
// labels they always had.
type Metrics struct {
	Diagnoses     *prometheus.CounterVec // by root-cause finding ID (or verdict)
	Latency       *prometheus.HistogramVec
	AlertsPosted  *prometheus.CounterVec // kind: incident, storm
	AlertsFailed  *prometheus.CounterVec
	AlertsGrouped *prometheus.CounterVec
	Resolved      *prometheus.CounterVec
	Queued        *prometheus.GaugeVec   // Slack outbox length by channel
	Dropped       *prometheus.CounterVec // Slack messages dropped, by reason
	SlackErrors   *prometheus.CounterVec // Slack API errors, by method

	reg       prometheus.Registerer
	byCluster bool
}

// NewMetrics creates and registers the metrics of a single-cluster pullcheck.
func NewMetrics(reg prometheus.Registerer) *Metrics { return newMetrics(reg, false) }

// NewClusterMetrics creates and registers the metrics of a pullcheck that
// serves several clusters: diagnoses and alerts are counted per cluster,
// and RegisterCluster adds each cluster's state.
func NewClusterMetrics(reg prometheus.Registerer) *Metrics { return newMetrics(reg, true) }

func newMetrics(reg prometheus.Registerer, byCluster bool) *Metrics {
	m := &Metrics{reg: reg, byCluster: byCluster}
	l := m.labelNames
	m.Diagnoses = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_diagnoses_total",
		Help: "Diagnoses run, by root-cause finding ID (or verdict when there is none)."}, l("finding"))
	m.Latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pullcheck_diagnosis_seconds",
		Help: "Time to run the whole diagnosis chain.", Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 30}}, l())
	m.AlertsPosted = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_alerts_posted_total",
		Help: "Alerts posted, by kind (incident, storm)."}, l("kind"))
	m.AlertsFailed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_alerts_failed_total",
		Help: "Alerts that could not be posted, by kind."}, l("kind"))
	m.AlertsGrouped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_alerts_grouped_total",
		Help: "Incidents folded into a storm instead of an alert of their own."}, l())
	m.Resolved = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_incidents_resolved_total",
		Help: "Incidents resolved."}, l())
	m.Queued = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pullcheck_slack_queued_messages",
		Help: "Messages waiting in the Slack outbox, by channel."}, []string{"channel"})
	m.Dropped = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_slack_dropped_messages_total",
		Help: "Messages the Slack outbox gave up on, by reason (full, expired, rejected, closed)."}, []string{"reason"})
	m.SlackErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_slack_api_errors_total",
		Help: "Slack Web API errors, by method."}, []string{"method"})
	reg.MustRegister(m.Diagnoses, m.Latency, m.AlertsPosted, m.AlertsFailed, m.AlertsGrouped, m.Resolved, m.Queued, m.Dropped, m.SlackErrors)
	if !byCluster { // exposed at zero from the start, as plain metrics are
		m.Latency.WithLabelValues()
		m.AlertsGrouped.WithLabelValues()
		m.Resolved.WithLabelValues()
	}
	return m
}

// labelNames are names, after "cluster" when counting per cluster.
func (m *Metrics) labelNames(names ...string) []string {
	if m.byCluster {
		return append([]string{"cluster"}, names...)
	}
	return names
}

// values are the label values of a cluster's series.
func (m *Metrics) values(cluster string, vs ...string) []string {
	if m.byCluster {
		return append([]string{cluster}, vs...)
	}
	return vs
}

// RegisterCluster exposes a cluster's state: pullcheck_cluster_up (its API
// server answers) and pullcheck_cluster_synced (this replica's pod cache
// of it has synced; 0 on replicas that do not lead). Only for metrics made
// by NewClusterMetrics.
func (m *Metrics) RegisterCluster(name string, up, synced func() bool) {
	if m == nil || !m.byCluster {
		return
	}
	gauge := func(metric, help string, f func() bool) prometheus.GaugeFunc {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: metric, Help: help, ConstLabels: prometheus.Labels{"cluster": name}},
			func() float64 {
				if f() {
					return 1
				}
				return 0
			})
	}
	m.reg.MustRegister(gauge("pullcheck_cluster_up", "Whether the cluster's API server answered pullcheck's last probe.", up),
		gauge("pullcheck_cluster_synced", "Whether this replica's pod cache of the cluster has synced (the leader's only).", synced))
}

// ObserveReport counts a finished diagnosis.
func (m *Metrics) ObserveReport(rep *diagnose.Report) { m.ObserveReportIn("", rep) }

// ObserveReportIn counts a finished diagnosis in a cluster.
func (m *Metrics) ObserveReportIn(cluster string, rep *diagnose.Report) {
	if rep != nil {
		m.observeReport(cluster, rep, rep.Duration)
	}
}

func (m *Metrics) observeReport(cluster string, rep *diagnose.Report, d time.Duration) {
	if m == nil || rep == nil {
		return
	}
	id := string(rep.Verdict)
	if rep.RootCause != nil {
		id = string(rep.RootCause.ID)
	}
	m.Diagnoses.WithLabelValues(m.values(cluster, id)...).Inc()
	m.Latency.WithLabelValues(m.values(cluster)...).Observe(d.Seconds())
}

func (m *Metrics) posted(cluster, kind string) {
	if m != nil {
		m.AlertsPosted.WithLabelValues(m.values(cluster, kind)...).Inc()
	}
}

func (m *Metrics) failed(cluster, kind string) {
	if m != nil {
		m.AlertsFailed.WithLabelValues(m.values(cluster, kind)...).Inc()
	}
}

func (m *Metrics) grouped(cluster string, n int) {
	if m != nil {
		m.AlertsGrouped.WithLabelValues(m.values(cluster)...).Add(float64(n))
	}
}

func (m *Metrics) resolved(cluster string) {
	if m != nil {
		m.Resolved.WithLabelValues(m.values(cluster)...).Inc()
	}
}
