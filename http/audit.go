package http

import (
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"bayu/http/export"
	"bayu/store"
	"bayu/workflow"
)

// auditMeta puts the client's address and the request id into the request's
// context, where the store finds them for every history row and audit record
// written on the request's behalf. The address is the peer's: a forwarded-for
// header is the client's word, and an audit record must not be.
func auditMeta(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := r.RemoteAddr
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
		ctx := store.WithRequestMeta(r.Context(), addr, middleware.GetReqID(r.Context()))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) auditRoutes() []route {
	logQuery := []string{"actor", "event", "outcome", "object_type", "object_id", "since", "until"}
	return []route{
		{Method: "GET", Pattern: "/audit/verify", Summary: "Recompute every hash of the history and the audit log; name the first broken row",
			Access: auditors, Handler: s.verify, Query: []string{"head"}, Response: store.VerifyReport{}},
		{Method: "GET", Pattern: "/audit/head", Summary: "A digest of where every chain ends now, to keep outside the database",
			Access: auditors, Handler: s.head, Response: headBody{}},
		{Method: "GET", Pattern: "/audit/log", Summary: "The audit log (refused attempts, logins, users, campaign edits, purges), oldest first",
			Access: auditors, Handler: s.auditLog, Query: append(logQuery, "limit", "cursor"), Response: store.AuditPage{}},
		{Method: "GET", Pattern: "/audit/log.csv", Summary: "The audit log as CSV (UTF-8 with BOM, Chinese headers)",
			Access: auditors, Handler: s.exportAuditLog("csv"), Query: logQuery, Produces: export.CSVType},
		{Method: "GET", Pattern: "/audit/log.xlsx", Summary: "The audit log as an Excel workbook",
			Access: auditors, Handler: s.exportAuditLog("xlsx"), Query: logQuery, Produces: export.XLSXType},
	}
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.store.Verify(r.Context(), r.URL.Query().Get("head"))
	if err != nil {
		return err
	}
	if !rep.OK {
		s.log.WarnContext(r.Context(), "audit: the history is not intact", "problems", rep.Problems, "first_bad", rep.FirstBad.MessageEN)
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// headBody is the answer of GET /audit/head.
type headBody struct {
	Head    string `json:"head"`    // what bayu audit verify --head and ?head= take
	History int64  `json:"history"` // history rows up to this id are covered
	Audit   int64  `json:"audit"`   // audit records up to this id are covered
	Chains  int    `json:"chains"`  // how many chains end in the digest
}

func (s *Server) head(w http.ResponseWriter, r *http.Request) error {
	m, err := s.store.Head(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, headBody{Head: m.String(), History: m.History, Audit: m.Audit, Chains: m.Chains})
	return nil
}

func (s *Server) auditFilter(r *http.Request) (store.AuditFilter, error) {
	q := r.URL.Query()
	f := store.AuditFilter{Actor: q.Get("actor"), Event: q.Get("event"), Outcome: store.Outcome(q.Get("outcome")),
		ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), Cursor: q.Get("cursor")}
	limit, err := intParam(q.Get("limit"), "limit")
	f.Limit = int(limit)
	if err != nil {
		return f, err
	}
	f.Since, f.Until, err = s.timeRange(q.Get("since"), q.Get("until"))
	return f, err
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	f, err := s.auditFilter(r)
	if err != nil {
		return err
	}
	page, err := s.store.AuditRecords(r.Context(), actorOf(r), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

var auditColumns = []export.Column{
	{Title: "序号", Width: 8}, {Title: "时间(UTC)", Width: 28}, {Title: "操作人", Width: 12}, {Title: "角色", Width: 10},
	{Title: "事件", Width: 16}, {Title: "结果", Width: 8}, {Title: "对象类型", Width: 10}, {Title: "对象编号", Width: 10},
	{Title: "原因", Width: 30}, {Title: "详情", Width: 40}, {Title: "客户端地址", Width: 16}, {Title: "请求编号", Width: 28},
	{Title: "哈希", Width: 66},
}

var auditEventNames = map[string]string{
	store.AuditLogin: "登录", store.AuditLogout: "退出登录", store.AuditUserCreate: "创建用户",
	store.AuditUserDisable: "停用用户", store.AuditCampaignEdit: "修改征集日期", store.AuditPurge: "清理过期历史",
}

// auditEventLabel names an audit event for people: a refused transition by its
// event's name, the others from auditEventNames, anything else by its code.
func auditEventLabel(e string) string {
	if l, ok := auditEventNames[e]; ok {
		return l
	}
	return orCode(workflow.Event(e).Label().ZH, e)
}

var outcomeNames = map[store.Outcome]string{store.OutcomeOK: "成功", store.OutcomeRefused: "被拒绝", store.OutcomeFailed: "失败"}

func (s *Server) exportAuditLog(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, err := s.auditFilter(r)
		if err != nil {
			return err
		}
		f.Limit, f.Cursor = 0, ""
		out, err := s.startExport(w, format, "audit-log", "审计日志", auditColumns)
		if err != nil {
			return err
		}
		cells := make([]string, len(auditColumns))
		err = s.store.EachAuditRecord(r.Context(), actorOf(r), f, func(a *store.AuditRecord) error {
			copy(cells, []string{
				strconv.FormatInt(a.Seq, 10), a.At.Format(time.RFC3339Nano), a.Actor, orCode(a.Role.Label().ZH, string(a.Role)),
				auditEventLabel(a.Event), outcomeNames[a.Outcome], a.ObjectType, a.ObjectID,
				a.Reason, string(a.Detail), a.ClientAddr, a.RequestID, a.Hash,
			})
			return out.Row(cells)
		})
		return s.finishExport(r, out, err)
	}
}

// sentWriter notes whether any byte of the answer has gone out, after which an
// error can no longer be answered with the error JSON.
type sentWriter struct {
	http.ResponseWriter
	sent bool
}

func (w *sentWriter) Write(p []byte) (int, error) {
	w.sent = true
	return w.ResponseWriter.Write(p)
}

// startExport sets the headers of a download and starts the writer; nothing
// reaches the client before the first buffer fills.
func (s *Server) startExport(w http.ResponseWriter, format, name, sheet string, cols []export.Column) (*exportRun, error) {
	sw := &sentWriter{ResponseWriter: w}
	out, err := export.New(format, sw, sheet)
	if err != nil {
		return nil, err
	}
	ct := export.CSVType
	if format == "xlsx" {
		ct = export.XLSXType
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="bayu-`+name+`-`+time.Now().UTC().Format("20060102-150405")+`.`+format+`"`)
	w.Header().Set("Cache-Control", "no-store")
	run := &exportRun{Writer: out, w: sw}
	return run, run.Header(cols)
}

type exportRun struct {
	export.Writer
	w *sentWriter
}

// finishExport completes the download. An error before anything was sent is
// answered as usual; after that, the connection is cut, so that the client
// sees a failed download rather than a file that silently lacks rows.
func (s *Server) finishExport(r *http.Request, out *exportRun, err error) error {
	if err == nil {
		err = out.Close()
	} else {
		out.Abort()
	}
	if err == nil {
		return nil
	}
	if !out.w.sent {
		out.w.Header().Del("Content-Disposition")
		return err
	}
	s.log.ErrorContext(r.Context(), "export cut short", "err", err, "path", r.URL.Path)
	panic(http.ErrAbortHandler)
}
