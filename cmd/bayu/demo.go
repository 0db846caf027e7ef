package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"bayu/store"
	"bayu/workflow"
)

// demoPassword is printed with the demo logins; the demo is for looking around.
const demoPassword = "bayu-demo-2026"

var demoUsers = []struct {
	name, district string
	role           workflow.Role
}{
	{"demo-coordinator", "", workflow.Coordinator},
	{"demo-evaluator", "", workflow.Evaluator},
	{"demo-auditor", "", workflow.Auditor},
	{"demo-district", "500101", workflow.District},
}

func (m *Main) demo(ctx context.Context, args []string) error {
	c, err := m.config(flag.NewFlagSet("demo", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	c, stop, err := m.ensureServer(ctx, c)
	if err != nil {
		return err
	}
	defer stop()
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()

	users := map[workflow.Role]workflow.Actor{}
	tokens := map[string]string{}
	for _, du := range demoUsers {
		a, token, err := demoUser(ctx, st, du.name, du.role, du.district)
		if err != nil {
			return err
		}
		users[du.role] = a
		tokens[du.name] = token
	}
	districtUsers := map[string]workflow.Actor{"500101": users[workflow.District]}
	for _, unit := range demoUnits[1:] {
		a, _, err := demoUser(ctx, st, "demo-district-"+unit, workflow.District, unit)
		if err != nil {
			return err
		}
		districtUsers[unit] = a
	}
	if err := m.demoCampaign(ctx, st, users[workflow.Coordinator], time.Now(), c.Location); err != nil {
		return err
	}
	count, err := st.CountExhibits(ctx)
	if err != nil {
		return err
	}
	if count == 0 {
		n, err := seedDemo(ctx, c.DatabaseURL, c.AuditKey, users, districtUsers, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "已生成演示数据：%d 件展品，%d 个推荐单位 / seeded %d exhibits over %d units\n", n, len(demoUnits), n, len(demoUnits))
	} else {
		fmt.Fprintf(m.Stdout, "数据库已有 %d 件展品，不再生成演示数据 / %d exhibits already present, not seeding\n", count, count)
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "用户 / user\t角色 / role\t密码 / password\tAPI 令牌 / token")
	for _, du := range demoUsers {
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\n", du.name, du.role, du.district, demoPassword, tokens[du.name])
	}
	tw.Flush()
	fmt.Fprintf(m.Stdout, "试试 / try: curl -H 'Authorization: Bearer <token>' http://%s/api/v1/exhibits\n", hostPort(c.Addr))
	return m.listenAndServe(ctx, c, st)
}

// demoUser creates a demo user, or gives an existing one a fresh token.
func demoUser(ctx context.Context, st *store.Store, name string, role workflow.Role, district string) (workflow.Actor, string, error) {
	u, token, err := st.CreateUser(ctx, store.NewUser{Name: name, Role: role, District: district, Password: demoPassword})
	if workflow.ErrorCode(err) == workflow.CodeConflict {
		token, err = st.IssueToken(ctx, name)
		if err != nil {
			return workflow.Actor{}, "", err
		}
		a, err := st.Authenticate(ctx, token)
		if err != nil {
			return workflow.Actor{}, "", err
		}
		return a.Actor(), token, nil
	}
	if err != nil {
		return workflow.Actor{}, "", err
	}
	return u.Actor(), token, nil
}

// ensureServer checks the database server answers. Without DATABASE_URL and
// without a reachable server, the demo starts a private cluster (see cluster.go).
func (m *Main) ensureServer(ctx context.Context, c config) (config, func(), error) {
	if c.explicitDB || store.EnsureDatabase(ctx, c.DatabaseURL) == nil {
		return c, func() {}, nil
	}
	return m.privateCluster(ctx, c)
}
