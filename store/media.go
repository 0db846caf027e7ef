package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"bayu/workflow"
)

// Media is one file attached to an exhibit.
type Media struct {
	ID          int64     `db:"id" json:"id"`
	ExhibitID   int64     `db:"exhibit_id" json:"exhibit_id"`
	SHA256      string    `db:"sha256" json:"sha256"`
	Kind        string    `db:"kind" json:"kind"`
	ContentType string    `db:"content_type" json:"content_type"`
	Size        int64     `db:"size" json:"size"`
	Name        string    `db:"name" json:"name"`
	ThumbSHA256 *string   `db:"thumb_sha256" json:"thumb_sha256"`
	CreatedBy   string    `db:"created_by" json:"created_by"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
}

const mediaColumns = `id, exhibit_id, sha256, kind, content_type, size, name, thumb_sha256, created_by, created_at`

// CanAttach reports whether the actor may attach files to the exhibit: coordinators,
// and district users for their own unit's items.
func (s *Store) CanAttach(ctx context.Context, a workflow.Actor, exhibitID int64) error {
	x, err := s.Exhibit(ctx, a, exhibitID)
	if err != nil {
		return err
	}
	if a.Role == workflow.Coordinator || (a.Role == workflow.District && a.District == x.District) {
		return nil
	}
	return workflow.Errorf(workflow.CodeForbidden, "无权为该展品上传文件", "you may not attach files to this exhibit")
}

// AddMedia records a stored file as attached to an exhibit; attaching the same
// file twice returns the first record.
func (s *Store) AddMedia(ctx context.Context, a workflow.Actor, m Media) (*Media, error) {
	if err := s.CanAttach(ctx, a, m.ExhibitID); err != nil {
		return nil, err
	}
	var out Media
	err := s.db.GetContext(ctx, &out, `INSERT INTO media (exhibit_id, sha256, kind, content_type, size, name, thumb_sha256, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (exhibit_id, sha256) DO UPDATE SET name = media.name
		RETURNING `+mediaColumns,
		m.ExhibitID, m.SHA256, m.Kind, m.ContentType, m.Size, m.Name, m.ThumbSHA256, a.Name, s.Now())
	return &out, classify(err)
}

// ExhibitMedia lists an exhibit's files, oldest first, if the actor may see the exhibit.
func (s *Store) ExhibitMedia(ctx context.Context, a workflow.Actor, exhibitID int64) ([]Media, error) {
	if _, err := s.Exhibit(ctx, a, exhibitID); err != nil {
		return nil, err
	}
	out := []Media{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+mediaColumns+` FROM media WHERE exhibit_id = $1 ORDER BY id`, exhibitID)
	return out, classify(err)
}

// MediaItem returns one attached file if the actor may see its exhibit.
func (s *Store) MediaItem(ctx context.Context, a workflow.Actor, id int64) (*Media, error) {
	var m Media
	err := s.db.GetContext(ctx, &m, `SELECT `+mediaColumns+` FROM media WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, workflow.Errorf(workflow.CodeNotFound, "文件不存在", "no such file")
	}
	if err != nil {
		return nil, classify(err)
	}
	if _, err := s.Exhibit(ctx, a, m.ExhibitID); err != nil {
		return nil, workflow.Errorf(workflow.CodeNotFound, "文件不存在", "no such file")
	}
	return &m, nil
}

// PublicStates are the states whose exhibits the public gallery shows.
var PublicStates = []workflow.State{workflow.Stored, workflow.OnDisplay}

// PublicMedia returns a photo of an exhibit the public gallery shows, or not found.
func (s *Store) PublicMedia(ctx context.Context, id int64) (*Media, error) {
	var m Media
	err := s.db.GetContext(ctx, &m, `SELECT m.id, m.exhibit_id, m.sha256, m.kind, m.content_type, m.size, m.name,
			m.thumb_sha256, m.created_by, m.created_at
		FROM media m JOIN exhibits x ON x.id = m.exhibit_id
		WHERE m.id = $1 AND m.kind = 'photo' AND x.state IN ('stored', 'on_display')`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, workflow.Errorf(workflow.CodeNotFound, "文件不存在", "no such file")
	}
	return &m, classify(err)
}
