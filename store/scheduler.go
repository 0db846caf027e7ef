package store

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// Scheduler triggers the jobs with robfig/cron. Cron is only the trigger: the
// work lives in tables with due times, so a tick that never came (the server
// was down) is made up by the next one, and several servers may tick at once.
type Scheduler struct {
	st       *Store
	delivery Delivery
	log      *slog.Logger
	cron     *cron.Cron
	ctx      context.Context
	cancel   context.CancelFunc
	mu       sync.Mutex
}

// NewScheduler returns a scheduler over st that sends through d.
func NewScheduler(st *Store, d Delivery, log *slog.Logger) *Scheduler {
	if log == nil {
		log = st.log
	}
	return &Scheduler{st: st, delivery: d, log: log}
}

// Tick runs every job that has work due at now, the deliveries last so that
// they send what the others have just made. Tests call it with a clock of
// their own; the cron entries run one job each.
func (sc *Scheduler) Tick(ctx context.Context, now time.Time) error {
	due, err := sc.st.DueJobs(ctx, now)
	if err != nil {
		return err
	}
	var errs []error
	created := 0
	for _, name := range due {
		if name == JobDeliveries {
			continue
		}
		res, err := sc.tick(ctx, name, now)
		created += res.Created
		errs = append(errs, err)
	}
	if created > 0 || slices.Contains(due, JobDeliveries) {
		_, err := sc.tick(ctx, JobDeliveries, now)
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// tick runs one job and records the run when it did something: the schedulers
// that lost the race for the job's lock have nothing worth recording.
func (sc *Scheduler) tick(ctx context.Context, name JobName, now time.Time) (JobResult, error) {
	res, err := sc.st.runJob(ctx, name, now, sc.delivery)
	if res.Done > 0 || err != nil {
		if rerr := sc.st.recordRun(ctx, res, now, err); err == nil {
			err = rerr
		}
		sc.log.InfoContext(ctx, "job ran", "job", name, "at", now, "done", res.Done, "created", res.Created,
			"sent", res.Sent, "retried", res.Retried, "dead", res.Dead, "err", err)
	}
	return res, err
}

// Start begins ticking every job on its schedule, in UTC, each entry guarded
// by cron.Recover (a panic in one run does not stop the scheduler) and
// SkipIfStillRunning (a slow run is not overtaken by the next).
func (sc *Scheduler) Start() error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.cron != nil {
		return errors.New("scheduler already started")
	}
	logger := cronLogger{sc.log}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	sc.ctx, sc.cancel = context.WithCancel(context.Background())
	for _, j := range Jobs {
		name := j.Name
		if _, err := c.AddFunc(j.Schedule, func() {
			now := sc.st.Now()
			if err := sc.tickOne(sc.ctx, name, now); err != nil && sc.ctx.Err() == nil {
				sc.log.Error("job failed", "job", name, "err", err)
			}
		}); err != nil {
			return err
		}
	}
	sc.cron = c
	c.Start()
	return nil
}

// tickOne runs one job when it has work due.
func (sc *Scheduler) tickOne(ctx context.Context, name JobName, now time.Time) error {
	due, err := sc.st.DueJobs(ctx, now)
	if err != nil {
		return err
	}
	if !slices.Contains(due, name) {
		return nil
	}
	_, err = sc.tick(ctx, name, now)
	return err
}

// Stop stops the ticks and waits for running jobs, at most until ctx ends;
// then it cancels their context (an email half sent is retried later).
func (sc *Scheduler) Stop(ctx context.Context) {
	sc.mu.Lock()
	c := sc.cron
	sc.cron = nil
	sc.mu.Unlock()
	if c == nil {
		return
	}
	select {
	case <-c.Stop().Done():
	case <-ctx.Done():
	}
	sc.cancel()
}

// cronLogger lets robfig/cron log through slog.
type cronLogger struct{ log *slog.Logger }

// Info is cron's chatter about schedules: debug level.
func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }

// Error is a failed or panicking run.
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
