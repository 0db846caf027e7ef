package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	bayuhttp "bayu/http"
	"bayu/store"
	"bayu/store/blob"
	"bayu/workflow"
)

func (m *Main) migrate(ctx context.Context, args []string) error {
	c, err := m.config(flag.NewFlagSet("migrate", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if err := store.EnsureDatabase(ctx, c.DatabaseURL); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	st, err := store.Open(ctx, c.DatabaseURL, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已应用 %d 个迁移 / applied %d migrations\n", n, n)
	return nil
}

func (m *Main) serve(ctx context.Context, args []string) error {
	c, err := m.config(flag.NewFlagSet("serve", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	return m.listenAndServe(ctx, c, st)
}

// listenAndServe serves until ctx ends, then shuts down gracefully.
func (m *Main) listenAndServe(ctx context.Context, c config, st *store.Store) error {
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	media, err := blob.Open(filepath.Join(c.DataDir, "media"))
	if err != nil {
		return err
	}
	stopJobs, err := m.startScheduler(st, m.logger())
	if err != nil {
		ln.Close()
		return err
	}
	defer stopJobs()
	srv := &http.Server{
		Handler:           bayuhttp.NewServer(st, bayuhttp.Options{Logger: m.logger(), Media: media}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(m.Stderr, "bayu 正在监听 / listening on http://%s\n", displayAddr(ln.Addr()))
	if m.Listening != nil {
		m.Listening(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// hostPort makes a listen address like ":8080" into one a browser can open.
func hostPort(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "localhost" + addr
	}
	return addr
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && (tcp.IP.IsUnspecified() || tcp.IP == nil) {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func (m *Main) user(ctx context.Context, args []string) error {
	if len(args) >= 1 && args[0] == "disable" {
		return m.userDisable(ctx, args[1:])
	}
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: bayu user add --name N --role R [--district CODE] [--password P] [--email E] [--webhook URL] | bayu user disable NAME")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	var in store.NewUser
	var role string
	fs.StringVar(&in.Name, "name", "", "user name")
	fs.StringVar(&role, "role", "", "coordinator, district, evaluator or auditor")
	fs.StringVar(&in.District, "district", "", "unit code from districts.tsv (district role)")
	fs.StringVar(&in.Password, "password", "", "password for the UI login (optional)")
	var contact store.Contact
	fs.StringVar(&contact.Email, "email", "", "where reminders are emailed (optional)")
	fs.StringVar(&contact.Webhook, "webhook", "", "a webhook URL reminders are posted to, e.g. a WeCom robot (optional)")
	c, err := m.config(fs, args[1:])
	if err != nil {
		return err
	}
	if err := contact.Validate(); err != nil {
		return describe(err)
	}
	in.Role = workflow.Role(role)
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	u, token, err := st.CreateUser(ctx, in)
	if err != nil {
		return describe(err)
	}
	if contact != (store.Contact{}) {
		if _, err := st.SetContact(ctx, u.ID, contact); err != nil {
			return describe(err)
		}
	}
	fmt.Fprintf(m.Stdout, "已创建用户 %s（%s）/ created user %s (%s)\n", u.Name, u.Role.Label().ZH, u.Name, u.Role)
	fmt.Fprintln(m.Stdout, token)
	return nil
}

// userDisable stops a user at once: its sessions and tokens end with it.
func (m *Main) userDisable(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("user disable", flag.ContinueOnError)
	c, err := m.config(fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: bayu user disable NAME")
	}
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.DisableUser(ctx, fs.Arg(0))
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(m.Stdout, "已停用用户 %s，其登录会话和 API 令牌已全部失效 / disabled %s; its sessions and tokens have ended\n", u.Name, u.Name)
	return nil
}

// describe renders a workflow error for a terminal: the message and each field.
func describe(err error) error {
	var e *workflow.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	msg := e.Message.ZH
	for k, v := range e.Fields {
		msg += fmt.Sprintf("; %s: %s", k, v.ZH)
	}
	return errors.New(msg)
}
