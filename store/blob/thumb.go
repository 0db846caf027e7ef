package blob

import (
	"bytes"
	"errors"
	"image"
	_ "image/gif" // decoders for the photo kinds
	"image/jpeg"
	_ "image/png"
	"io"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// ThumbSize is the longest side of a thumbnail, in pixels.
const ThumbSize = 320

// maxPixels refuses decompression bombs: a small file declaring a huge picture.
const maxPixels = 50_000_000

// Thumbnail scales a photo down to fit ThumbSize and encodes it as JPEG.
func Thumbnail(r io.ReadSeeker) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return nil, err
	}
	if cfg.Width*cfg.Height > maxPixels || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, errors.New("picture too large to make a thumbnail")
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	src, _, err := image.Decode(r)
	if err != nil {
		return nil, err
	}
	w, h := cfg.Width, cfg.Height
	if w > ThumbSize || h > ThumbSize {
		if w >= h {
			w, h = ThumbSize, max(1, h*ThumbSize/cfg.Width)
		} else {
			w, h = max(1, w*ThumbSize/cfg.Height), ThumbSize
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 82}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
