// Package migrations holds bayu's database schema as numbered SQL files, embedded
// in the binary, and the unit list they seed from.
package migrations

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"embed"
	"fmt"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
)

// FS holds the numbered SQL migrations.
//
//go:embed *.sql
var FS embed.FS

//go:embed districts.tsv
var districtsTSV []byte

// Unit is one recommending unit of districts.tsv.
type Unit struct {
	Code   string `db:"code" json:"code"`
	NameZH string `db:"name_zh" json:"name_zh"`
	NameEN string `db:"name_en" json:"name_en"`
	Kind   string `db:"kind" json:"kind"`
	Quota  int    `db:"quota" json:"quota"`
}

// Units parses the embedded districts.tsv.
func Units() ([]Unit, error) {
	var out []Unit
	sc := bufio.NewScanner(bytes.NewReader(districtsTSV))
	line := 0
	for sc.Scan() {
		line++
		if line == 1 || strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 5 {
			return nil, fmt.Errorf("districts.tsv line %d: want 5 columns, got %d", line, len(cols))
		}
		quota, err := strconv.Atoi(cols[4])
		if err != nil {
			return nil, fmt.Errorf("districts.tsv line %d: quota: %w", line, err)
		}
		out = append(out, Unit{Code: cols[0], NameZH: cols[1], NameEN: cols[2], Kind: cols[3], Quota: quota})
	}
	return out, sc.Err()
}

// GoMigrations are the migrations written in Go: seeding units from districts.tsv.
func GoMigrations() []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(2, &goose.GoFunc{RunTx: seedUnits}, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `DELETE FROM units`)
			return err
		}}),
	}
}

func seedUnits(ctx context.Context, tx *sql.Tx) error {
	units, err := Units()
	if err != nil {
		return err
	}
	for _, u := range units {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO units (code, name_zh, name_en, kind, quota) VALUES ($1, $2, $3, $4, $5)`,
			u.Code, u.NameZH, u.NameEN, u.Kind, u.Quota); err != nil {
			return fmt.Errorf("seed unit %s: %w", u.Code, err)
		}
	}
	return nil
}
