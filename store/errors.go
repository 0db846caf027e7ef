package store

import (
	"database/sql"
	"errors"

	"github.com/lib/pq"

	"bayu/workflow"
)

// PostgreSQL error codes bayu acts on (Appendix A of the PostgreSQL manual).
const (
	pqUniqueViolation      = "23505"
	pqForeignKeyViolation  = "23503"
	pqCheckViolation       = "23514"
	pqSerializationFailure = "40001"
	pqDeadlockDetected     = "40P01"
	pqInsufficientPriv     = "42501"
)

// classify turns database errors into workflow errors by their SQLSTATE code, never
// by message text; errors that are already classified pass through.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var ours *workflow.Error
	if errors.As(err, &ours) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.Errorf(workflow.CodeNotFound, "未找到", "not found")
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		// Class 22 is "data exception": a value the database cannot hold. Validation
		// should have caught it; if it did not, it is still the client's input.
		if pe.Code.Class() == "22" {
			return &workflow.Error{Code: workflow.CodeInvalid, Message: workflow.T("数据超出允许范围或格式不正确", "a value is out of range or malformed")}
		}
		switch pe.Code {
		case pqUniqueViolation:
			return &workflow.Error{Code: workflow.CodeConflict, Message: workflow.T("记录已存在", "already exists")}
		case pqForeignKeyViolation:
			return &workflow.Error{Code: workflow.CodeInvalid, Message: workflow.T("引用的记录不存在", "refers to something that does not exist")}
		case pqCheckViolation:
			return &workflow.Error{Code: workflow.CodeInvalid, Message: workflow.T("数据不符合约束", "violates a rule of the data")}
		case pqSerializationFailure, pqDeadlockDetected:
			return &workflow.Error{Code: workflow.CodeConflict, Message: workflow.T("并发冲突，请重试", "concurrent update, try again")}
		}
	}
	return err
}

// isPQ reports whether err carries the given SQLSTATE code.
func isPQ(err error, code string) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && string(pe.Code) == code
}
