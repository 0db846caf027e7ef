package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"

	"bayu/store"
)

const auditUsage = `usage:
  bayu audit head                   print a digest of every chain's end, to keep outside the database
  bayu audit verify [--head DIGEST] check every hash; exit 0 intact, 1 not (naming the first broken row)
  bayu audit purge                  remove history older than BAYU_AUDIT_RETENTION_DAYS (at least 184)`

// errNotIntact makes bayu audit verify exit 1.
var errNotIntact = errors.New("历史记录不完整 / the history is not intact")

func (m *Main) audit(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(m.Stderr, auditUsage)
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("audit "+args[0], flag.ContinueOnError)
	var head string
	if args[0] == "verify" {
		fs.StringVar(&head, "head", "", "a digest printed by bayu audit head earlier")
	}
	c, err := m.config(fs, args[1:])
	if err != nil {
		return err
	}
	var run func(context.Context, *store.Store) error
	switch args[0] {
	case "head":
		run = m.auditHead
	case "verify":
		run = func(ctx context.Context, st *store.Store) error { return m.auditVerify(ctx, st, head) }
	case "purge":
		days, err := retentionDays(m.Getenv)
		if err != nil {
			return err
		}
		run = func(ctx context.Context, st *store.Store) error { return m.auditPurge(ctx, st, days) }
	default:
		fmt.Fprintln(m.Stderr, auditUsage)
		return fmt.Errorf("unknown audit command %q", args[0])
	}
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	return run(ctx, st)
}

func (m *Main) auditHead(ctx context.Context, st *store.Store) error {
	h, err := st.Head(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "链头摘要：%d 条链，历史记录至 %d 号，审计记录至 %d 号；请抄存到数据库之外。\n"+
		"head digest: %d chains, history rows up to %d, audit records up to %d; keep it outside the database.\n",
		h.Chains, h.History, h.Audit, h.Chains, h.History, h.Audit)
	fmt.Fprintln(m.Stdout, h.String())
	return nil
}

func (m *Main) auditVerify(ctx context.Context, st *store.Store, head string) error {
	rep, err := st.Verify(ctx, head)
	if err != nil {
		return describe(err)
	}
	keyed := "未设置审计密钥 / without an audit key"
	if rep.Keyed {
		keyed = "使用审计密钥 / with the audit key"
	}
	if rep.OK {
		fmt.Fprintf(m.Stdout, "完整：已校验 %d 条记录（%s）\nintact: %d rows checked\n", rep.Checked, keyed, rep.Checked)
		return nil
	}
	b := rep.FirstBad
	fmt.Fprintf(m.Stdout, "不完整：已校验 %d 条记录，发现 %d 处问题（%s）\nNOT intact: %d rows checked, %d problems\n",
		rep.Checked, rep.Problems, keyed, rep.Checked, rep.Problems)
	fmt.Fprintf(m.Stdout, "第一处 / first: %s\n               %s\n", b.Message, b.MessageEN)
	fmt.Fprintf(m.Stdout, "chain=%s exhibit=%d seq=%d id=%d problem=%s\n", b.Chain, b.ExhibitID, b.Seq, b.ID, b.Problem)
	return errNotIntact
}

func (m *Main) auditPurge(ctx context.Context, st *store.Store, days int) error {
	res, err := st.Purge(ctx, days)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "已清理 %s 之前的记录：%d 件展品的 %d 条历史，%d 条审计记录；检查点已保存，链仍可校验。\n"+
		"purged before %s: %d history rows of %d exhibits, %d audit records; checkpoints kept, the chains still verify.\n",
		res.Cutoff.Format("2006-01-02 15:04:05Z07:00"), res.Exhibits, res.HistoryRows, res.AuditRows,
		res.Cutoff.Format("2006-01-02 15:04:05Z07:00"), res.HistoryRows, res.Exhibits, res.AuditRows)
	return nil
}

// retentionDays reads BAYU_AUDIT_RETENTION_DAYS: without it nothing is purged.
func retentionDays(getenv func(string) string) (int, error) {
	v := getenv("BAYU_AUDIT_RETENTION_DAYS")
	if v == "" {
		return 0, errors.New("未配置保留期，不清理任何记录 / no retention configured, nothing is purged: set BAYU_AUDIT_RETENTION_DAYS (at least 184)")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < store.MinRetentionDays {
		return 0, fmt.Errorf("BAYU_AUDIT_RETENTION_DAYS=%q: must be a whole number of days, at least %d", v, store.MinRetentionDays)
	}
	return n, nil
}

// minAuditKey is the shortest audit key accepted: shorter ones can be guessed.
const minAuditKey = 16

// auditKey reads BAYU_AUDIT_KEY, which turns every chain hash into an HMAC.
// Set it before the first transition and keep it: rows hashed with another
// key (or none) no longer verify.
func auditKey(getenv func(string) string) ([]byte, error) {
	k := getenv("BAYU_AUDIT_KEY")
	if k != "" && len(k) < minAuditKey {
		return nil, fmt.Errorf("BAYU_AUDIT_KEY is %d bytes long: use at least %d (e.g. openssl rand -hex 32)", len(k), minAuditKey)
	}
	return []byte(k), nil
}
