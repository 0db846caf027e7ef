package listform

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"bayu/workflow"
)

// Limits on what Parse will open. A list of a district is a few hundred rows and
// well under a megabyte; these leave room for photos pasted into the sheet and
// refuse what can only be an attack or a mistake.
const (
	MaxFileBytes      = 10 << 20 // the upload itself
	MaxZipEntries     = 200      // parts in the xlsx package; Excel writes about 10–30
	UnzipSizeLimit    = 64 << 20 // all parts inflated together
	UnzipXMLSizeLimit = 16 << 20 // one part held in memory; bigger sheets stream from a temp file
	MaxRows           = 20000    // data rows in the list
)

var (
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic = []byte("PK\x03\x04")
	// An encrypted xlsx is an OLE container whose directory names this stream,
	// stored as UTF-16LE like every OLE directory entry name.
	encryptionInfo = utf16le("EncryptionInfo")
)

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func saveAsXLSX(zh, en string) *Error {
	return fileError(workflow.CodeInvalid, zh+"请在 Excel 或 WPS 中“另存为” .xlsx（Excel 工作簿）后重新导入。",
		en+" Save it as .xlsx (Excel Workbook) in Excel or WPS and import it again.")
}

// readLimited takes the upload into memory, refusing it past max bytes: a zip can
// only be checked with its central directory, which sits at the end.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fileError(workflow.CodeBadRequest, "读取上传文件失败。", "the upload could not be read.")
	}
	if int64(len(data)) > max {
		return nil, fileError(workflow.CodeTooLarge, "文件过大（上限 10 MB）。", "the file is too large (10 MB at most).")
	}
	return data, nil
}

// checkPackage looks at the bytes before excelize does. excelize inflates each
// part whole into memory, so a zip bomb must be caught here from the sizes the
// central directory declares; archive/zip then refuses to inflate any part
// beyond its declared size, so a bomb that lies about its size fails as well.
func checkPackage(data []byte) error {
	switch {
	case bytes.HasPrefix(data, oleMagic):
		if bytes.Contains(data, encryptionInfo) {
			return saveAsXLSX("文件设有打开密码（已加密），无法读取。请取消密码，",
				"The file is encrypted with a password and cannot be read. Remove the password,")
		}
		return saveAsXLSX("这是旧版 Excel 97-2003 工作簿（.xls），无法直接读取。",
			"This is an old Excel 97-2003 workbook (.xls), which cannot be read.")
	case !bytes.HasPrefix(data, zipMagic):
		return saveAsXLSX("这不是 Excel 工作簿（.xlsx）文件。", "This is not an Excel workbook (.xlsx).")
	}
	n, ok := zipEntryCount(data)
	if !ok {
		return saveAsXLSX("文件已损坏（可能没有完整上传）。", "The file is damaged (perhaps not completely uploaded).")
	}
	if n > MaxZipEntries {
		return fileError(workflow.CodeTooLarge, "文件结构异常（压缩包条目过多），拒绝读取。",
			"the file's structure is abnormal (too many parts in the package); it was refused.")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return saveAsXLSX("文件已损坏或不是 .xlsx 工作簿。", "The file is damaged or not an .xlsx workbook.")
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > UnzipSizeLimit || total > UnzipSizeLimit {
			return fileError(workflow.CodeTooLarge, "文件解压后过大（上限 64 MB），拒绝读取。",
				"the file inflates to more than 64 MB; it was refused.")
		}
		name := strings.ToLower(f.Name)
		workbook = workbook || name == "xl/workbook.xml"
		if name == "mimetype" || name == "content.xml" {
			return saveAsXLSX("这是 OpenDocument 表格（.ods），不是 .xlsx。", "This is an OpenDocument spreadsheet (.ods), not .xlsx.")
		}
	}
	if !workbook {
		return saveAsXLSX("压缩包里没有 Excel 工作簿（可能是 .docx 或其他文件）。",
			"The archive holds no Excel workbook (it may be a .docx or another file).")
	}
	return verifyParts(zr)
}

// verifyParts inflates every part into nothing before excelize inflates it into
// memory. A part that holds more than its declared size (a bomb lying about its
// size), or fails its checksum, is refused here with a few kilobytes of buffer,
// where excelize's io.ReadAll would first have grown a buffer to the declared
// size and more. The cost is one pass of decompression over at most 64 MB.
func verifyParts(zr *zip.Reader) error {
	for _, f := range zr.File {
		rc, err := f.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil {
			e := saveAsXLSX("文件已损坏（压缩数据校验失败）。", "The file is damaged (its compressed data fails the check).")
			e.Internal = fmt.Sprintf("zip part %q: %v", f.Name, err)
			return e
		}
	}
	return nil
}

// zipEntryCount reads the entry count from the end-of-central-directory record,
// so that a file claiming a million entries is refused before archive/zip
// allocates a header for each. A zip64 count (0xFFFF) is reported as too many:
// no spreadsheet within our limits needs zip64.
func zipEntryCount(data []byte) (int, bool) {
	const eocdLen, maxComment = 22, 0xFFFF
	start := max(0, len(data)-eocdLen-maxComment)
	i := bytes.LastIndex(data[start:], []byte("PK\x05\x06"))
	if i < 0 || start+i+eocdLen > len(data) {
		return 0, false
	}
	rec := data[start+i:]
	return int(binary.LittleEndian.Uint16(rec[10:12])), true
}

// openWorkbook checks the package and opens it with excelize's own limits set to
// ours, so that nothing excelize inflates can exceed them either.
func openWorkbook(data []byte) (*excelize.File, error) {
	if err := checkPackage(data); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    UnzipSizeLimit,
		UnzipXMLSizeLimit: UnzipXMLSizeLimit,
	})
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		e := saveAsXLSX("文件已损坏，无法作为 .xlsx 工作簿打开。", "The file is damaged and cannot be opened as an .xlsx workbook.")
		if strings.Contains(err.Error(), "unzip size") {
			e = fileError(workflow.CodeTooLarge, "文件解压后过大（上限 64 MB），拒绝读取。",
				"the file inflates to more than 64 MB; it was refused.")
		}
		e.Internal = "excelize: " + err.Error()
		return nil, e
	}
	return f, nil
}
