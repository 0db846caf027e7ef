package listform

import (
	"errors"
	"strings"
	"testing"

	"bayu/workflow"
)

func TestErrorShapes(t *testing.T) {
	var errs rowErrors
	errs.add(7, colMethod, workflow.T("征集方式必须是捐赠、寄存、复制、寄售之一", "must be one of …"))
	errs.add(5, colName, workflow.T("展品名称不能为空", "is required"))
	errs.add(5, -1, workflow.T("整行有误", "the row is wrong"))
	err := errs.err()
	var we *workflow.Error
	if !errors.As(err, &we) || we.Code != workflow.CodeInvalid || workflow.ErrorCode(err) != workflow.CodeInvalid {
		t.Fatalf("does not unwrap to a workflow.Error: %v", err)
	}
	le := err.(*Error)
	got := le.In("en")
	want := []LocalRowError{{5, "", "the row is wrong"}, {5, "展品名称", "is required"}, {7, "征集方式", "must be one of …"}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if zh := le.In("zh-CN"); zh[1].Message != "展品名称不能为空" {
		t.Errorf("zh: %+v", zh)
	}
	if !strings.Contains(err.Error(), "row 5 展品名称: is required") {
		t.Errorf("Error() = %q", err.Error())
	}
}
