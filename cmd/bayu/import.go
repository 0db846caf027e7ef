package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"bayu/store"
	"bayu/workflow"
	"bayu/workflow/listform"
)

// cliActor is who a shell import acts as: whoever runs bayu holds the
// database, so the import has a coordinator's rights, and the history names
// the command.
var cliActor = workflow.Actor{Name: "bayu import", Role: workflow.Coordinator}

// importList is `bayu import --district CODE FILE.xlsx [--dry-run] [--recommend]`:
// the list import of the API, with the same rules and the same answer, from a
// shell. Row errors are printed one a line, in Chinese, on stderr.
func (m *Main) importList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	district := fs.String("district", "", "unit code from districts.tsv")
	dryRun := fs.Bool("dry-run", false, "check the list and print what would happen; write nothing")
	recommend := fs.Bool("recommend", false, "also recommend every reported row (district_recommended)")
	c, err := m.config(fs, args)
	if err != nil {
		return err
	}
	// Flags may follow the file, as in the usage line: the flag package stops
	// at the first argument that is not one, so parse again after each.
	var files []string
	for fs.NArg() > 0 {
		files = append(files, fs.Arg(0))
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	if *district == "" || len(files) != 1 {
		fmt.Fprintln(m.Stderr, "usage: bayu import --district CODE FILE.xlsx [--dry-run] [--recommend]")
		return flag.ErrHelp
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	list, err := listform.Parse(f, listform.Options{})
	if err != nil {
		return m.listRefused(err)
	}
	fmt.Fprintf(m.Stdout, "读取 %s：工作表“%s”，第 %d 行为表头，%d 件展品；推荐单位：%s\n",
		files[0], list.Sheet, list.HeaderRow, len(list.Rows), nonEmpty(list.Footer.Name, "（未填写）"))
	st, err := m.open(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	bar := m.importProgress(len(list.Rows))
	res, err := st.ImportList(ctx, cliActor, store.ListImport{
		District: *district, List: list, DryRun: *dryRun, Recommend: *recommend, Progress: bar.step})
	bar.finish()
	if err != nil {
		return m.listRefused(err)
	}
	m.printImport(res)
	return nil
}

// listRefused prints every row error of a refused list, one a line, and returns
// the error's message; other errors pass through.
func (m *Main) listRefused(err error) error {
	var le *listform.Error
	if !errors.As(err, &le) {
		if we := (*workflow.Error)(nil); errors.As(err, &we) && len(we.Fields) == 0 {
			return errors.New(we.Message.ZH)
		}
		return describe(err)
	}
	for _, r := range le.Rows {
		if r.Column == "" {
			fmt.Fprintf(m.Stderr, "第 %d 行：%s\n", r.Row, r.Message.ZH)
		} else {
			fmt.Fprintf(m.Stderr, "第 %d 行 [%s]：%s\n", r.Row, r.Column, r.Message.ZH)
		}
	}
	if len(le.Rows) > 0 {
		return fmt.Errorf("%s；未导入任何展品", le.Message.ZH)
	}
	return errors.New(le.Message.ZH)
}

var actionNames = map[store.RowAction]string{store.RowCreated: "新建", store.RowUpdated: "更新", store.RowUnchanged: "未变"}

func (m *Main) printImport(res *store.ListImportResult) {
	for _, r := range res.Rows {
		id := "—"
		if r.ID != 0 {
			id = fmt.Sprintf("#%d", r.ID)
		}
		line := fmt.Sprintf("第 %d 行  %s  %s  %s  → %s", r.Row, actionNames[r.Action], id, r.Name, r.State.Label().ZH)
		if len(r.Changed) > 0 {
			headers := make([]string, len(r.Changed))
			for i, k := range r.Changed {
				headers[i] = listform.FieldHeader(k)
			}
			line += "（改动：" + strings.Join(headers, "、") + "）"
		}
		fmt.Fprintln(m.Stdout, line)
	}
	if res.DryRun {
		fmt.Fprintln(m.Stdout, "试运行，未写入任何数据 / dry run, nothing written")
	}
	fmt.Fprintf(m.Stdout, "新建 %d 件，更新 %d 件，未变 %d 件 / created %d, updated %d, unchanged %d\n",
		res.Created, res.Updated, res.Unchanged, res.Created, res.Updated, res.Unchanged)
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// importProgress shows how far an import has got: a bar on a terminal; elsewhere
// (a log, a pipe) a plain line at each tenth of a list long enough to wait for.
type importProgress struct {
	bar   *progressbar.ProgressBar
	plain io.Writer
	last  int
}

func (m *Main) importProgress(total int) *importProgress {
	if f, ok := m.Stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &importProgress{bar: progressbar.NewOptions(total, progressbar.OptionSetWriter(f),
			progressbar.OptionSetDescription("导入 / importing"), progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())}
	}
	if total < 100 {
		return &importProgress{}
	}
	return &importProgress{plain: m.Stdout}
}

func (p *importProgress) step(done, total int) {
	switch {
	case p.bar != nil:
		_ = p.bar.Set(done)
	case p.plain != nil && done*10/total > p.last:
		p.last = done * 10 / total
		fmt.Fprintf(p.plain, "进度 / progress: %d/%d\n", done, total)
	}
}

func (p *importProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
