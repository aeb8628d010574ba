package alerts

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Metrics are pullcheck's Prometheus metrics. A nil *Metrics records nothing.
type Metrics struct {
	Diagnoses     *prometheus.CounterVec // by root-cause finding ID (or verdict)
	Latency       prometheus.Histogram
	AlertsPosted  *prometheus.CounterVec // kind: incident, storm
	AlertsFailed  *prometheus.CounterVec
	AlertsGrouped prometheus.Counter
	Resolved      prometheus.Counter
	Queued        *prometheus.GaugeVec   // Slack outbox length by channel
	Dropped       *prometheus.CounterVec // Slack messages dropped, by reason
	SlackErrors   *prometheus.CounterVec // Slack API errors, by method
}

// NewMetrics creates and registers the metrics.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Diagnoses: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_diagnoses_total",
			Help: "Diagnoses run, by root-cause finding ID (or verdict when there is none)."}, []string{"finding"}),
		Latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "pullcheck_diagnosis_seconds",
			Help: "Time to run the whole diagnosis chain.", Buckets: []float64{.05, .1, .25, .5, 1, 2, 5, 10, 30}}),
		AlertsPosted: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_alerts_posted_total",
			Help: "Alerts posted, by kind (incident, storm)."}, []string{"kind"}),
		AlertsFailed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_alerts_failed_total",
			Help: "Alerts that could not be posted, by kind."}, []string{"kind"}),
		AlertsGrouped: prometheus.NewCounter(prometheus.CounterOpts{Name: "pullcheck_alerts_grouped_total",
			Help: "Incidents folded into a storm instead of an alert of their own."}),
		Resolved: prometheus.NewCounter(prometheus.CounterOpts{Name: "pullcheck_incidents_resolved_total",
			Help: "Incidents resolved."}),
		Queued: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "pullcheck_slack_queued_messages",
			Help: "Messages waiting in the Slack outbox, by channel."}, []string{"channel"}),
		Dropped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_slack_dropped_messages_total",
			Help: "Messages the Slack outbox gave up on, by reason (full, expired, rejected, closed)."}, []string{"reason"}),
		SlackErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pullcheck_slack_api_errors_total",
			Help: "Slack Web API errors, by method."}, []string{"method"}),
	}
	reg.MustRegister(m.Diagnoses, m.Latency, m.AlertsPosted, m.AlertsFailed, m.AlertsGrouped, m.Resolved, m.Queued, m.Dropped, m.SlackErrors)
	return m
}

// ObserveReport counts a finished diagnosis.
func (m *Metrics) ObserveReport(rep *diagnose.Report) { m.observeReport(rep, rep.Duration) }

func (m *Metrics) observeReport(rep *diagnose.Report, d time.Duration) {
	if m == nil || rep == nil {
		return
	}
	id := string(rep.Verdict)
	if rep.RootCause != nil {
		id = string(rep.RootCause.ID)
	}
	m.Diagnoses.WithLabelValues(id).Inc()
	m.Latency.Observe(d.Seconds())
}

func (m *Metrics) posted(kind string) {
	if m != nil {
		m.AlertsPosted.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) failed(kind string) {
	if m != nil {
		m.AlertsFailed.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) grouped(n int) {
	if m != nil {
		m.AlertsGrouped.Add(float64(n))
	}
}

func (m *Metrics) resolved() {
	if m != nil {
		m.Resolved.Inc()
	}
}
