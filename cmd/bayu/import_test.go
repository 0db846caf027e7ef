package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bayu/store/storetest"
	"bayu/workflow"
	"bayu/workflow/listform"
	"bayu/workflow/sample"
)

// TestImportCommand runs `bayu import` through Main.Run against a fresh
// database: a dry run, the import, the same file again, and a faulty file.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	dbURL := storetest.URL(t)
	run := func(args ...string) (stdout, stderr string, err error) {
		var out, errOut bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
			if k == "DATABASE_URL" {
				return dbURL
			}
			return ""
		}}
		err = m.Run(context.Background(), args)
		return out.String(), errOut.String(), err
	}
	filled := filepath.Join("..", "..", "testdata", "listform", "lo-filled.xlsx")

	out, _, err := run("import", "--district", "500101", filled, "--dry-run")
	if err != nil || !strings.Contains(out, "第 4 行  新建  —  世赛金牌  → 已报送") || !strings.Contains(out, "试运行，未写入任何数据") ||
		!strings.Contains(out, "推荐单位：重庆市九龙坡区人力资源和社会保障局") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	out, _, err = run("import", "--district", "500101", "--recommend", filled)
	if err != nil || !strings.Contains(out, "新建 5 件，更新 0 件，未变 0 件") || !strings.Contains(out, "世赛金牌  → 区县已推荐") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, _, err = run("import", filled, "--district=500101", "--recommend")
	if err != nil || !strings.Contains(out, "新建 0 件，更新 0 件，未变 5 件") {
		t.Fatalf("import again: %v\n%s", err, out)
	}

	_, stderr, err := run("import", "--district", "500101", filepath.Join("..", "..", "testdata", "listform", "lo-faulty.xlsx"))
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if err == nil || !strings.Contains(err.Error(), "清单有 12 处错误") || len(lines) != 12 ||
		lines[0] != "第 5 行 [征集方式]：征集方式必须是捐赠、寄存、复制、寄售之一" {
		t.Errorf("faulty file: %v\n%s", err, stderr)
	}
	if _, _, err := run("import", "--district", "999999", filled); err == nil || !strings.Contains(err.Error(), "推荐单位不存在") {
		t.Errorf("unknown unit: %v", err)
	}
	if _, _, err := run("import", filled); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("no district: %v", err)
	}

	// A longer list, not on a terminal: progress as plain lines.
	items := make([]listform.Item, 120)
	for i := range items {
		items[i].Fields = sample.Fields(i, workflow.Donation)
		items[i].Fields.Name += " 批量"
	}
	var b bytes.Buffer
	if err := listform.Write(&b, listform.UnitInfo{Name: "涪陵区"}, items, listform.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	long := filepath.Join(t.TempDir(), "long.xlsx")
	if err := os.WriteFile(long, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = run("import", "--district", "500102", long)
	if err != nil || !strings.Contains(out, "进度 / progress: 12/120\n") || !strings.Contains(out, "进度 / progress: 120/120\n") ||
		!strings.Contains(out, "新建 120 件") {
		t.Errorf("long list: %v\n%s", err, out)
	}
}
