package workflow

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar day without a time of day, written YYYY-MM-DD.
type Date struct{ t time.Time }

const dateLayout = "2006-01-02"

// NewDate returns the day y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseDate reads YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.t.Format(dateLayout) }

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is a later day than o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// AddDays returns the day n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// In returns the instant the day starts in loc.
func (d Date) In(loc *time.Location) time.Time {
	y, m, dd := d.t.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("date must be a string YYYY-MM-DD")
	}
	p, err := ParseDate(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value stores the date in a PostgreSQL date column.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a PostgreSQL date column.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = NewDate(v.Date())
	case string:
		p, err := ParseDate(v[:min(len(v), 10)])
		if err != nil {
			return err
		}
		*d = p
	case []byte:
		return d.Scan(string(v))
	default:
		return fmt.Errorf("cannot scan %T into Date", src)
	}
	return nil
}
