// Command trivydb writes a Trivy vulnerability database (schema 2: trivy.db and metadata.json) from OSV
// records, so `make bench` can time Trivy's scan next to distill's on the same advisories without
// downloading Trivy's own database. Only what Trivy reads for Debian and pip packages is written.
//
// Usage: trivydb ALL.ZIP CACHE-DIR   (writes CACHE-DIR/db/trivy.db and CACHE-DIR/db/metadata.json)
package main

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

type event struct {
	Introduced   string `json:"introduced"`
	Fixed        string `json:"fixed"`
	LastAffected string `json:"last_affected"`
}

type record struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases"`
	Upstream []string `json:"upstream"`
	Summary  string   `json:"summary"`
	Details  string   `json:"details"`
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Ranges []struct {
			Type   string  `json:"type"`
			Events []event `json:"events"`
		} `json:"ranges"`
		Versions []string `json:"versions"`
	} `json:"affected"`
}

// advisory is Trivy's per-package value: a fixed version (OS packages) or version constraints (languages).
type advisory struct {
	FixedVersion       string   `json:",omitempty"`
	VulnerableVersions []string `json:",omitempty"`
	PatchedVersions    []string `json:",omitempty"`
}

type dataSource struct {
	ID   string
	Name string
	URL  string
}

type detail struct {
	Title       string `json:",omitempty"`
	Description string `json:",omitempty"`
	Severity    string `json:",omitempty"`
}

// preferredID is the CVE the record is about when it names exactly one, else its own id (as distill reports it).
func preferredID(r record) string {
	if strings.HasPrefix(r.ID, "CVE-") {
		return r.ID
	}
	cves := map[string]bool{}
	for _, a := range append(append([]string{}, r.Aliases...), r.Upstream...) {
		if strings.HasPrefix(a, "CVE-") {
			cves[a] = true
		}
	}
	if len(cves) == 1 {
		for c := range cves {
			return c
		}
	}
	return r.ID
}

func put(tx *bolt.Tx, buckets []string, key string, value interface{}) error {
	b, err := tx.CreateBucketIfNotExists([]byte(buckets[0]))
	if err != nil {
		return err
	}
	for _, name := range buckets[1:] {
		if b, err = b.CreateBucketIfNotExists([]byte(name)); err != nil {
			return err
		}
	}
	data, err := json.Marshal(value)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), data)
}

// constraints turns OSV range events into Trivy's pip constraint strings, one per affected stretch.
func constraints(events []event) []string {
	var out []string
	open := ""
	inRange := false
	for _, e := range events {
		switch {
		case e.Introduced != "":
			open, inRange = e.Introduced, true
		case e.Fixed != "" && inRange:
			out = append(out, join(open, "<"+e.Fixed))
			inRange = false
		case e.LastAffected != "" && inRange:
			out = append(out, join(open, "<="+e.LastAffected))
			inRange = false
		}
	}
	if inRange {
		if open == "0" {
			out = append(out, ">=0")
		} else {
			out = append(out, ">="+open)
		}
	}
	return out
}

func join(introduced, upper string) string {
	if introduced == "0" {
		return upper
	}
	return ">=" + introduced + ", " + upper
}

func store(tx *bolt.Tx, r record) error {
	id := preferredID(r)
	for _, a := range r.Affected {
		eco := a.Package.Ecosystem
		switch {
		case strings.HasPrefix(eco, "Debian:"):
			bucket := "debian " + strings.TrimPrefix(eco, "Debian:")
			adv := advisory{}
			for _, rg := range a.Ranges {
				for _, e := range rg.Events {
					if e.Fixed != "" && adv.FixedVersion == "" {
						adv.FixedVersion = e.Fixed
					}
				}
			}
			if err := put(tx, []string{"data-source"}, bucket, dataSource{"debian", "Debian Security Tracker", "https://security-tracker.debian.org/tracker/"}); err != nil {
				return err
			}
			if err := put(tx, []string{bucket, a.Package.Name}, id, adv); err != nil {
				return err
			}
		case eco == "PyPI":
			bucket := "pip::OSV PyPI"
			adv := advisory{}
			for _, rg := range a.Ranges {
				if rg.Type != "ECOSYSTEM" {
					continue
				}
				adv.VulnerableVersions = append(adv.VulnerableVersions, constraints(rg.Events)...)
				for _, e := range rg.Events {
					if e.Fixed != "" {
						adv.PatchedVersions = append(adv.PatchedVersions, e.Fixed)
					}
				}
			}
			if len(adv.VulnerableVersions) == 0 {
				for _, v := range a.Versions {
					adv.VulnerableVersions = append(adv.VulnerableVersions, "=="+v)
				}
			}
			name := strings.ReplaceAll(strings.ToLower(a.Package.Name), "_", "-")
			if err := put(tx, []string{"data-source"}, bucket, dataSource{"osv", "Python Packaging Advisory Database", "https://github.com/pypa/advisory-database"}); err != nil {
				return err
			}
			if err := put(tx, []string{bucket, name}, id, adv); err != nil {
				return err
			}
		default:
			continue
		}
	}
	return put(tx, []string{"vulnerability"}, id, detail{Title: r.Summary, Description: r.Details})
}

func run(zipPath, cacheDir string) (int, error) {
	dir := filepath.Join(cacheDir, "db")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, err
	}
	db, err := bolt.Open(filepath.Join(dir, "trivy.db"), 0o600, nil)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	archive, err := zip.OpenReader(zipPath)
	if err != nil {
		return 0, err
	}
	defer archive.Close()
	count := 0
	err = db.Update(func(tx *bolt.Tx) error {
		for _, f := range archive.File {
			if !strings.HasSuffix(f.Name, ".json") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return err
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return err
			}
			var r record
			if err := json.Unmarshal(data, &r); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
			if err := store(tx, r); err != nil {
				return err
			}
			count++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	meta := map[string]interface{}{"Version": 2, "NextUpdate": now.Add(24 * time.Hour * 365), "UpdatedAt": now, "DownloadedAt": now}
	data, _ := json.Marshal(meta)
	return count, os.WriteFile(filepath.Join(dir, "metadata.json"), data, 0o600)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: trivydb ALL.ZIP CACHE-DIR")
		os.Exit(2)
	}
	count, err := run(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "trivydb:", err)
		os.Exit(1)
	}
	fmt.Println(count)
}
