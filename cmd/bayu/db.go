package main

import (
	"context"
	"flag"
	"fmt"

	"bayu/store"
)

const dbUsage = `usage:
  bayu db grant-app ROLE [--password-env VAR]
      as the schema owner (the role of bayu migrate): migrate, then create the login
      role ROLE when missing and grant it what bayu serve needs and no more;
      run it again after upgrades. VAR names an environment variable holding
      the role's password.`

func (m *Main) db(ctx context.Context, args []string) error {
	if len(args) < 2 || args[0] != "grant-app" {
		fmt.Fprintln(m.Stderr, dbUsage)
		return flag.ErrHelp
	}
	role := args[1]
	fs := flag.NewFlagSet("db grant-app", flag.ContinueOnError)
	passwordEnv := fs.String("password-env", "", "environment variable holding the role's password")
	c, err := m.config(fs, args[2:])
	if err != nil {
		return err
	}
	password := ""
	if *passwordEnv != "" {
		if password = m.Getenv(*passwordEnv); password == "" {
			return fmt.Errorf("--password-env %s: the variable is empty", *passwordEnv)
		}
	}
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := store.GrantApp(ctx, st.DB().DB, role, password); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "应用角色 %s 已就绪：历史表只可查询和追加，不能修改、删除、清空或停用触发器。\n"+
		"application role %s is ready: it may read and append to the history, never change, delete, truncate it or disable its triggers.\n"+
		"serve with DATABASE_URL naming %s; keep migrating with the owner's.\n", role, role, role)
	return nil
}
