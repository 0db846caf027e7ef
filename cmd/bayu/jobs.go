package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"bayu/store"
)

const jobsUsage = "usage: bayu jobs list | bayu jobs run JOB|all [--at RFC3339 [--until RFC3339 --every 1h]]"

// jobs lists the scheduled jobs or runs them by hand.
func (m *Main) jobs(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf(jobsUsage)
	}
	switch args[0] {
	case "list":
		return m.jobsList(ctx, args[1:])
	case "run":
		return m.jobsRun(ctx, args[1:])
	}
	return fmt.Errorf("%s (not %q)", jobsUsage, args[0])
}

// jobsList prints each job with its schedule, when it next has work due and
// its last recorded run: every run by hand, and every tick that found work.
func (m *Main) jobsList(ctx context.Context, args []string) error {
	c, err := m.config(flag.NewFlagSet("jobs list", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	runs, err := st.JobRuns(ctx)
	if err != nil {
		return err
	}
	next, err := st.NextDue(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "任务 / job\t计划 / schedule (UTC)\t下次到期 / next due\t上次运行 / last run\t处理 / done\t新提醒 / created\t说明 / does")
	for _, j := range store.Jobs {
		due, last, done, created := "-", "-", "-", "-"
		if t, ok := next[j.Name]; ok {
			due = t.In(c.Location).Format(time.RFC3339)
		}
		if r, ok := runs[j.Name]; ok {
			last = r.LastAt.In(c.Location).Format(time.RFC3339)
			done, created = fmt.Sprint(r.Done), fmt.Sprint(r.Created)
			if r.Error != "" {
				last += " (error: " + r.Error + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", j.Name, j.Schedule, due, last, done, created, j.Summary)
	}
	return tw.Flush()
}

// jobsRun runs one job, or all in order, as if the clock read --at. Work that
// was done for that instant is not done again, so a second run changes nothing.
func (m *Main) jobsRun(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
		return fmt.Errorf(jobsUsage)
	}
	name := args[0]
	fs := flag.NewFlagSet("jobs run", flag.ContinueOnError)
	atText := fs.String("at", "", "the instant to run as of, RFC 3339 (default now)")
	untilText := fs.String("until", "", "with --at: step on to this instant, running every job at each step (backfill, simulations)")
	every := fs.Duration("every", time.Hour, "with --until: the step")
	c, err := m.config(fs, args[1:])
	if err != nil {
		return err
	}
	names := []store.JobName{store.JobName(name)}
	if name == "all" {
		names = nil
		for _, j := range store.Jobs {
			names = append(names, j.Name)
		}
	} else if !store.KnownJob(store.JobName(name)) {
		return fmt.Errorf("unknown job %q; see bayu jobs list", name)
	}
	now := time.Now()
	if *atText != "" {
		if now, err = time.Parse(time.RFC3339, *atText); err != nil {
			return fmt.Errorf("--at %q is not an RFC 3339 instant (e.g. 2026-07-31T00:00:00+08:00)", *atText)
		}
	}
	d, err := m.delivery()
	if err != nil {
		return err
	}
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	until := now
	if *untilText != "" {
		if until, err = time.Parse(time.RFC3339, *untilText); err != nil || until.Before(now) || *every <= 0 {
			return fmt.Errorf("--until must be an RFC 3339 instant not before --at, and --every positive")
		}
	}
	for at := now; !at.After(until); at = at.Add(*every) {
		for _, n := range names {
			res, err := st.RunJob(ctx, n, at, d)
			if err != nil {
				return fmt.Errorf("%s at %s: %w", n, at.Format(time.RFC3339), err)
			}
			if *untilText != "" && res.Done+res.Created+res.Sent+res.Retried+res.Dead == 0 {
				continue // a quiet step of a long run says nothing
			}
			fmt.Fprintf(m.Stdout, "%s: 处理 %d，新提醒 %d，已发送 %d，待重试 %d，失败 %d / done %d, created %d, sent %d, retried %d, dead %d\n",
				n, res.Done, res.Created, res.Sent, res.Retried, res.Dead, res.Done, res.Created, res.Sent, res.Retried, res.Dead)
		}
	}
	return nil
}

// startScheduler starts the jobs' cron ticks for a serving process; the
// returned function stops them, waiting a little for a running job.
func (m *Main) startScheduler(st *store.Store, log *slog.Logger) (stop func(), err error) {
	d, err := m.delivery()
	if err != nil {
		return nil, err
	}
	sc := store.NewScheduler(st, d, log)
	if err := sc.Start(); err != nil {
		return nil, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sc.Stop(ctx)
	}, nil
}
