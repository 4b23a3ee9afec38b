/*
 * binprobe.c — streaming probe of executables for the Go and Rust binary
 * catalogers (see binprobe.h, binx.h).
 *
 * DESIGN. A layer is read once, front to back, and a Go or Rust binary is
 * tens of megabytes, so nothing is captured whole. The first
 * BINPROBE_HEAD bytes (ELF header, program headers and, for Go's own
 * linker, the section headers) classify the file:
 *   - Go (a ".note.go.buildid" note, or a .go.buildinfo section): the
 *     build info lives at the start of the data segment, which the head
 *     locates, so a window of up to BINPROBE_GO_WINDOW bytes from there is
 *     captured as it streams by. gobin_locate() (the cataloger's own
 *     locator) then runs over what is held and names the next range it
 *     needs: a range still ahead (a Go <= 1.17 string header in .data) is
 *     captured when it passes; a range already behind (that header's
 *     string bytes, in .rodata) can only come from the candidates
 *     remembered while .rodata streamed by: every "go1." string and every
 *     module-info sentinel, at most BINPROBE_GO_CANDIDATES and
 *     BINPROBE_MODINFO_CANDIDATES of them, matched by exact offset.
 *   - anything else with loadable segments: the file is scanned for a
 *     zlib stream inflating to `{"packages"` (cargo-auditable's .dep-v0,
 *     non-loaded before the section headers that would name it, or
 *     allocated in the read-only segment, depending on how it was
 *     emitted), captured up to BINPROBE_RUST_MAX bytes. A candidate costs
 *     a FCHECK test on each 0x78 byte and, for 1 in 31, a 64-byte inflate.
 *   - PE and 64-bit Mach-O (exe.c): the magic is looked for in the data
 *     range Go's debug/buildinfo names (Go >= 1.18's inline layout), and
 *     the whole file is sniffed for cargo-auditable's stream as well.
 * The scans run over a small sliding block (SCAN_BLOCK bytes, SCAN_LOOK
 * bytes of look-ahead carried over), so patterns split between chunks are
 * found whatever the chunk sizes. At the end only the ranges the parsers
 * read are serialised as the extract; the rest is freed. Per file the
 * memory is bounded by the named limits, and a non-ELF file costs one
 * head buffer.
 */
#include <string.h>
#include <zlib.h>

#include "base/alloc.h"
#include "catalog/binprobe.h"
#include "catalog/finger.h"
#include "catalog/exe.h"
#include "catalog/gobin.h"
#include "catalog/internal.h"

#define SCAN_BLOCK (64u << 10)
#define SCAN_LOOK 64u
#define RUST_PREFIX "{\"packages\""
#define GO_STEPS 8 /* named limit: locate rounds per resolution */
#define BINPROBE_CODE_SEGS 8 /* named limit: code ranges skipped by the sniff */

static const char info_start[] =
	"0w\xaf\x0c\x92t\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6";

struct span {                 /* a byte range being captured */
	uint64_t off;
	size_t len, filled;
	unsigned tag;
	unsigned char *buf;       /* owned */
};

struct probe {
	uint64_t size, pos;       /* declared size; end of data seen */
	unsigned char head[BINPROBE_HEAD];
	size_t head_len;
	int classified, dead, is_go, go_done;
	int also_rust;            /* PE / Mach-O: sniff for .dep-v0 too */
	uint64_t ro_end;          /* Go: candidates are looked for below */
	uint64_t w_start, w_end;  /* Go: magic looked for in [w_start, w_end) */
	uint64_t w_vaddr;         /* ... whose vaddr alignment is w_vaddr's */
	uint64_t scan_end;        /* bytes below go through the scan block */
	uint64_t tail_start;
	uint64_t code[BINPROBE_CODE_SEGS][2]; /* executable segments' file ranges */
	size_t n_code;
	struct span window;
	struct span want[BINPROBE_RANGES];
	size_t n_want;
	struct span *cands;       /* owned array, in offset order */
	size_t n_cands, cap_cands, first_open, n_go1, n_modinfo;
	int n_rust;
	unsigned char *block;     /* owned: the scan block */
	size_t block_len;
	uint64_t block_off;
	z_stream z;
	int z_on;
	int oom;
	struct finger_scan *finger; /* owned: a file a fingerprint names */
};

int binprobe_wants(const struct vg_fs_entry *e)
{
	return e->type == VG_FS_REG && (e->mode & 0111) && e->size >= 52;
}

/* ---- spans ------------------------------------------------------------- */

static int span_init(struct span *s, uint64_t off, size_t len, unsigned tag)
{
	memset(s, 0, sizeof(*s));
	s->off = off;
	s->len = len;
	s->tag = tag;
	s->buf = len ? vg_malloc(len) : NULL;
	return len && !s->buf ? -1 : 0;
}

/* Copy the part of [off, off+n) that continues s. */
static void span_fill(struct span *s, uint64_t off, const unsigned char *d,
                      size_t n)
{
	uint64_t next = s->off + s->filled;
	size_t k;

	if (s->filled == s->len || next < off || next - off >= n)
		return;
	k = n - (size_t)(next - off);
	if (k > s->len - s->filled)
		k = s->len - s->filled;
	memcpy(s->buf + s->filled, d + (next - off), k);
	s->filled += k;
}

static void add_extent(struct binx_view *v, uint64_t off,
                       const unsigned char *d, size_t len, unsigned tag)
{
	if (v->n == BINX_MAX_EXTENTS || !len)
		return;
	v->ext[v->n].off = off;
	v->ext[v->n].data = d;
	v->ext[v->n].len = len;
	v->ext[v->n].tag = tag;
	v->n++;
}

/* ---- classifying the head ------------------------------------------------ */

static int go_note(const struct binx_view *v, const struct elf_seg *g,
                   int be)
{
	uint64_t at = g->offset, end = g->offset + g->filesz;

	while (at + 12 <= end && end - at < BINPROBE_HEAD) {
		const unsigned char *h = binx_read(v, at, 12);
		uint64_t nsz, dsz;
		if (!h)
			return 0;
		nsz = elf_uint(h, 4, be);
		dsz = elf_uint(h + 4, 4, be);
		if (nsz == 4 && elf_uint(h + 8, 4, be) == 4) {
			const unsigned char *name = binx_read(v, at + 12, 4);
			if (name && memcmp(name, "Go\0\0", 4) == 0)
				return 1;
		}
		if (nsz > BINPROBE_HEAD || dsz > BINPROBE_HEAD)
			return 0;
		at += 12 + ((nsz + 3) & ~(uint64_t)3) + ((dsz + 3) & ~(uint64_t)3);
	}
	return 0;
}

/* PE or Mach-O 64 (exe.c): whether Go is only known once the build info
 * magic turns up in the data range, so the file is also sniffed for a
 * cargo-auditable stream, the whole of it (Go < 1.18's pointer layout is
 * not read outside ELF: no candidate strings are kept). */
static void classify_exe(struct probe *p, const struct binx_view *v)
{
	struct exe_data x;

	if (exe_go_data(v, &x) != 0 || x.off >= p->size) {
		p->dead = 1; /* not ELF, PE or Mach-O; or no data to search */
		return;
	}
	p->is_go = 1;
	p->also_rust = 1;
	p->w_start = x.off;
	p->w_end = x.off + x.size;
	if (p->w_end < p->w_start || p->w_end > p->size)
		p->w_end = p->size;
	p->w_vaddr = x.vaddr;
	p->ro_end = 0;
	p->scan_end = p->size;
}

/* The head says: Go (where its data starts) or anything else (where the
 * non-loaded tail starts). The build info's own section, when the head
 * holds the section headers (Go's internal linker puts them first), is
 * read directly; else the writable segments are searched for the magic
 * as they stream by (an external linker's .data.rel.ro, or a RELRO
 * segment of its own, may come first, megabytes long). */
static void classify(struct probe *p)
{
	struct binx_view v;
	struct elf_info e;
	struct elf_sec s;
	struct elf_seg g, data;
	uint64_t sec_off = 0, seg_end;
	int have_data = 0, have_sec = 0;
	unsigned i;

	p->classified = 1;
	binx_view_init(&v, p->head, p->head_len);
	if (elf_header(&v, &e) != 0) {
		classify_exe(p, &v);
		return;
	}
	if (elf_section(&v, &e, ".go.buildinfo", &s) == 0) {
		p->is_go = 1;
		sec_off = s.offset;
		have_sec = 1;
	}
	memset(&data, 0, sizeof(data));
	for (i = 0; i < e.phnum && i < ELF_MAX_PHDRS; i++) {
		if (elf_phdr(&v, &e, i, &g) != 0)
			break;
		if (g.type == 4 && go_note(&v, &g, e.be))
			p->is_go = 1;
		if (g.type != ELF_PT_LOAD)
			continue;
		seg_end = g.offset + g.filesz;
		if (seg_end >= g.offset && seg_end > p->tail_start)
			p->tail_start = seg_end;
		if ((g.flags & ELF_PF_X) && seg_end > g.offset &&
		    p->n_code < BINPROBE_CODE_SEGS) {
			p->code[p->n_code][0] = g.offset;
			p->code[p->n_code++][1] = seg_end;
		}
		if ((g.flags & (ELF_PF_X | ELF_PF_W)) != ELF_PF_W)
			continue;
		if (!have_data) {
			data = g;
			have_data = 1;
		} else if (seg_end > data.offset + data.filesz &&
		           g.offset >= data.offset) {
			/* several writable segments (RELRO first): search them all */
			data.filesz = seg_end - data.offset;
		}
	}
	if (p->is_go && have_sec && sec_off < p->size) {
		size_t len = p->size - sec_off < BINPROBE_GO_WINDOW ?
		             (size_t)(p->size - sec_off) : BINPROBE_GO_WINDOW;
		if (span_init(&p->window, sec_off, len, BINX_RANGE) != 0)
			p->oom = 1;
		p->ro_end = p->scan_end = sec_off;
		return;
	}
	if (p->is_go && have_data && data.offset < p->size) {
		p->ro_end = p->w_start = data.offset;
		p->w_end = data.offset + data.filesz;
		if (p->w_end < p->w_start || p->w_end > p->size)
			p->w_end = p->size;
		p->w_vaddr = data.vaddr;
		p->scan_end = p->w_end;
		return;
	}
	if (p->is_go || !p->tail_start)
		p->dead = 1; /* Go without a data segment, or nothing loadable */
	/* .dep-v0 is non-loaded (after the PT_LOADs) in binaries like Trivy's
	 * fixture, but a section emitted from a static is allocated, inside
	 * the read-only segment: the whole file is sniffed. */
	p->tail_start = 0;
	p->scan_end = p->size;
}

/* ---- scanning for candidates ------------------------------------------- */

static void cand_add(struct probe *p, uint64_t off, size_t len, unsigned tag,
                     const unsigned char *from, size_t avail)
{
	struct span *s;

	if (vg_grow((void **)&p->cands, &p->cap_cands, p->n_cands + 1,
	            sizeof(*p->cands)) < 0) {
		p->oom = 1;
		return;
	}
	s = &p->cands[p->n_cands];
	if (span_init(s, off, len, tag) != 0) {
		p->oom = 1;
		return;
	}
	p->n_cands++;
	span_fill(s, off, from, avail);
}

static int inflates_to_packages(struct probe *p, const unsigned char *d,
                                size_t n)
{
	unsigned char out[sizeof(RUST_PREFIX)];
	int r;

	/* a zlib header with a 32K window and no dictionary (0x78 then
	 * 0x01, 0x5e, 0x9c or 0xda), then a deflate block type other than 3 */
	if (n < 3 || d[0] != 0x78 || ((0x78u << 8) | d[1]) % 31 ||
	    (d[1] & 0x20) || ((d[2] >> 1) & 3) == 3)
		return 0;
	if (!p->z_on) {
		memset(&p->z, 0, sizeof(p->z));
		if (inflateInit(&p->z) != Z_OK)
			return 0;
		p->z_on = 1;
	} else if (inflateReset(&p->z) != Z_OK) {
		return 0;
	}
	p->z.next_in = (unsigned char *)d;
	p->z.avail_in = (uInt)(n < SCAN_LOOK ? n : SCAN_LOOK);
	p->z.next_out = out;
	p->z.avail_out = sizeof(RUST_PREFIX) - 1;
	r = inflate(&p->z, Z_SYNC_FLUSH);
	return (r == Z_OK || r == Z_STREAM_END) && p->z.avail_out == 0 &&
	       memcmp(out, RUST_PREFIX, sizeof(RUST_PREFIX) - 1) == 0;
}

/* Every occurrence of needle starting in [from, to) of the block. */
static void scan_needle(struct probe *p, size_t from, size_t to,
                        const char *needle, size_t nlen, size_t keep,
                        size_t *count, size_t max)
{
	const unsigned char *b = p->block;
	size_t i = from;

	while (i < to && *count < max) {
		size_t span = p->block_len - i;
		const unsigned char *hit;
		hit = (const unsigned char *)catalog_memmem(
			(const char *)b + i,
			span < to - i + nlen - 1 ? span : to - i + nlen - 1, needle,
			nlen);
		if (!hit)
			return;
		i = (size_t)(hit - b);
		if (i >= to)
			return;
		++*count;
		cand_add(p, p->block_off + i, keep, BINX_GO_STRING, hit,
		         p->block_len - i);
		i++;
	}
}

/* The build info magic at a 16-byte aligned address of the data
 * segment: the window starts there. */
static void scan_magic(struct probe *p, size_t from, size_t to)
{
	const unsigned char *b = p->block;
	size_t i = from;

	while (i < to && !p->window.buf) {
		size_t span = p->block_len - i, len;
		const unsigned char *hit = (const unsigned char *)catalog_memmem(
			(const char *)b + i,
			span < to - i + GOBIN_MAGIC_LEN - 1 ?
			span : to - i + GOBIN_MAGIC_LEN - 1,
			GOBIN_MAGIC, GOBIN_MAGIC_LEN);
		uint64_t off;
		if (!hit)
			return;
		i = (size_t)(hit - b);
		off = p->block_off + i;
		if (i >= to)
			return;
		i++;
		if ((off - p->w_start + p->w_vaddr) % 16)
			continue;
		len = p->size - off < BINPROBE_GO_WINDOW ?
		      (size_t)(p->size - off) : BINPROBE_GO_WINDOW;
		if (span_init(&p->window, off, len, BINX_GO_WINDOW) != 0) {
			p->oom = 1;
			return;
		}
		span_fill(&p->window, off, hit, p->block_len - (size_t)(hit - b));
	}
}

static void scan_go(struct probe *p, size_t from, size_t to)
{
	uint64_t lo = p->block_off + from, hi = p->block_off + to;

	if (lo < p->ro_end) {
		size_t end = hi < p->ro_end ? to : (size_t)(p->ro_end - p->block_off);
		scan_needle(p, from, end, "go1.", 4, 32, &p->n_go1,
		            BINPROBE_GO_CANDIDATES);
		scan_needle(p, from, end, info_start, 16, BINPROBE_GO_STRING,
		            &p->n_modinfo, BINPROBE_MODINFO_CANDIDATES);
	}
	if (p->w_end > p->w_start && hi > p->w_start && lo < p->w_end &&
	    !p->window.buf)
		scan_magic(p, lo < p->w_start ? (size_t)(p->w_start - p->block_off)
		                              : from, to);
}

static void scan_rust(struct probe *p, size_t from, size_t to)
{
	const unsigned char *b = p->block;
	size_t i;

	for (i = from; i < to && !p->n_rust; i++) {
		const unsigned char *hit = memchr(b + i, 0x78, to - i);
		uint64_t off;
		if (!hit)
			return;
		i = (size_t)(hit - b);
		off = p->block_off + i;
		if (!inflates_to_packages(p, hit, p->block_len - i))
			continue;
		p->n_rust = 1;
		cand_add(p, off, p->size - off < BINPROBE_RUST_MAX ?
		         (size_t)(p->size - off) : BINPROBE_RUST_MAX,
		         BINX_RUST_DEP, hit, p->block_len - i);
	}
}

/* Scan start positions [0, upto) of the block. */
static void scan_block(struct probe *p, size_t upto)
{
	if (p->is_go)
		scan_go(p, 0, upto);
	if (!p->is_go || p->also_rust)
		scan_rust(p, 0, upto);
}

static void block_flush(struct probe *p)
{
	scan_block(p, p->block_len);
	p->block_len = 0;
}

/* Feed the open candidates bytes at off (they continue the block). */
static void cands_fill(struct probe *p, uint64_t off, const unsigned char *d,
                       size_t n)
{
	size_t i;

	while (p->first_open < p->n_cands &&
	       p->cands[p->first_open].filled == p->cands[p->first_open].len)
		p->first_open++;
	for (i = p->first_open; i < p->n_cands; i++)
		span_fill(&p->cands[i], off, d, n);
}

static void block_push(struct probe *p, uint64_t off, const unsigned char *d,
                       size_t n)
{
	if (!p->block) {
		p->block = vg_malloc(SCAN_BLOCK);
		if (!p->block) {
			p->oom = 1;
			return;
		}
	}
	if (p->block_len && off != p->block_off + p->block_len)
		block_flush(p); /* a hole: patterns cannot span it */
	if (!p->block_len)
		p->block_off = off;
	while (n) {
		size_t take = SCAN_BLOCK - p->block_len < n ?
		              SCAN_BLOCK - p->block_len : n;
		memcpy(p->block + p->block_len, d, take);
		cands_fill(p, off, d, take);
		if (p->window.buf)
			span_fill(&p->window, off, d, take);
		p->block_len += take;
		off += take;
		d += take;
		n -= take;
		if (p->block_len == SCAN_BLOCK) {
			scan_block(p, SCAN_BLOCK - SCAN_LOOK);
			memmove(p->block, p->block + SCAN_BLOCK - SCAN_LOOK, SCAN_LOOK);
			p->block_off += SCAN_BLOCK - SCAN_LOOK;
			p->block_len = SCAN_LOOK;
		}
	}
}

/* ---- resolving the Go build info --------------------------------------- */

static void go_view(const struct probe *p, struct binx_view *v)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	v->is_extract = 1;
	v->file_size = p->size;
	add_extent(v, p->window.off, p->window.buf, p->window.filled,
	           p->window.tag);
	add_extent(v, 0, p->head, p->head_len, BINX_RANGE);
	for (i = 0; i < p->n_want; i++)
		add_extent(v, p->want[i].off, p->want[i].buf, p->want[i].filled,
		           BINX_RANGE);
}

static const struct span *cand_at(const struct probe *p, uint64_t off,
                                  size_t len)
{
	size_t i;

	for (i = 0; i < p->n_cands; i++)
		if (p->cands[i].off == off && p->cands[i].filled >= len)
			return &p->cands[i];
	return NULL;
}

/* Locate over what is held; on a miss, want it (ahead) or take a
 * candidate (behind). *st gets the final status; v stays usable. */
static int go_resolve(struct probe *p, struct binx_view *v,
                      struct gobin_loc *loc, enum gobin_status *st,
                      int final)
{
	int round;

	go_view(p, v);
	for (round = 0; round < GO_STEPS; round++) {
		const struct span *c;
		*st = gobin_locate(v, loc);
		if (*st != GOBIN_MISSING)
			break;
		c = cand_at(p, loc->miss_off, loc->miss_len);
		if (c) {
			add_extent(v, c->off, c->buf, loc->miss_len, BINX_GO_STRING);
			continue;
		}
		if (!final && loc->miss_off >= p->pos &&
		    loc->miss_len <= GOBIN_MAX_STRING &&
		    p->n_want < BINPROBE_RANGES) {
			if (span_init(&p->want[p->n_want], loc->miss_off,
			              loc->miss_len, BINX_RANGE) != 0) {
				p->oom = 1;
				return 0;
			}
			p->n_want++;
			return 1;
		}
		break;
	}
	return 0;
}

/* After a chunk: once the window and every wanted range are complete,
 * ask the locator what else it needs. */
static void go_step(struct probe *p)
{
	struct binx_view v;
	struct gobin_loc loc;
	enum gobin_status st;
	size_t i;

	if (p->go_done || !p->window.buf || p->window.filled < p->window.len)
		return;
	for (i = 0; i < p->n_want; i++)
		if (p->want[i].filled < p->want[i].len)
			return;
	if (!go_resolve(p, &v, &loc, &st, 0))
		p->go_done = 1; /* found, none, malformed, or nothing to wait for */
}

/* ---- the callbacks ------------------------------------------------------- */

/* Push [off, off+n) to the scan block minus the executable segments:
 * code is where most 0x78 bytes are, and .dep-v0 is never code. */
static void push_data(struct probe *p, uint64_t off, const unsigned char *d,
                      size_t n)
{
	size_t i;

	while (n) {
		uint64_t stop = off + n;
		for (i = 0; i < p->n_code; i++) {
			if (off >= p->code[i][0] && off < p->code[i][1]) {
				uint64_t skip = p->code[i][1] - off;
				if (skip >= n)
					return;
				off += skip;
				d += skip;
				n -= (size_t)skip;
				i = (size_t)-1; /* the next range may start there */
				continue;
			}
			if (p->code[i][0] > off && p->code[i][0] < stop)
				stop = p->code[i][0];
		}
		block_push(p, off, d, (size_t)(stop - off));
		d += stop - off;
		n -= (size_t)(stop - off);
		off = stop;
	}
}

static void feed(struct probe *p, uint64_t off, const unsigned char *d,
                 size_t n)
{
	size_t i;

	if (p->is_go) {
		if (p->window.buf)
			span_fill(&p->window, off, d, n);
		for (i = 0; i < p->n_want; i++)
			span_fill(&p->want[i], off, d, n);
		if (off < p->scan_end)
			block_push(p, off, d, p->scan_end - off < n ?
			           (size_t)(p->scan_end - off) : n);
	} else if (!p->n_rust) {
		push_data(p, off, d, n);
	} else {
		cands_fill(p, off, d, n);
	}
	if (off + n > p->pos)
		p->pos = off + n;
	if (p->is_go)
		go_step(p);
}

enum vg_code binprobe_begin(void *ctx, const struct vg_fs_entry *e,
                            void **state, struct vg_error *err)
{
	struct probe *p;
	struct finger_scan *fs = NULL;
	int exec = binprobe_wants(e), oom = 0;

	(void)ctx;
	*state = NULL;
	if (e->type == VG_FS_REG && e->path)
		fs = finger_scan_new(e->path, &oom);
	if (oom)
		return vg_error_set(err, VG_ENOMEM, "binary probe: out of memory");
	if (!exec && !fs)
		return VG_OK;
	p = vg_calloc(1, sizeof(*p));
	if (!p) {
		finger_scan_free(fs);
		return vg_error_set(err, VG_ENOMEM, "binary probe: out of memory");
	}
	p->size = e->size;
	p->finger = fs;
	/* A library named for a fingerprint (libssl.so.3 is mode 0644) is
	 * only fingerprinted: Go and Rust programs are executables. */
	p->dead = !exec;
	p->classified = !exec;
	*state = p;
	return VG_OK;
}

static void take_head(struct probe *p, uint64_t off, const unsigned char *d,
                      size_t n)
{
	size_t k;

	if (off >= BINPROBE_HEAD)
		return;
	k = BINPROBE_HEAD - (size_t)off < n ? BINPROBE_HEAD - (size_t)off : n;
	if (off > p->head_len)
		memset(p->head + p->head_len, 0, (size_t)off - p->head_len);
	memcpy(p->head + off, d, k);
	if (off + k > p->head_len)
		p->head_len = (size_t)off + k;
}

enum vg_code binprobe_data(void *ctx, void *state, uint64_t off,
                           const void *buf, size_t n, struct vg_error *err)
{
	struct probe *p = state;
	const unsigned char *d = buf;

	(void)ctx;
	if (p->finger && finger_scan_data(p->finger, off, d, n) != 0)
		p->oom = 1;
	if (p->dead || p->oom)
		return p->oom ? vg_error_set(err, VG_ENOMEM,
		                             "binary probe: out of memory")
		              : VG_OK;
	if (!p->classified) {
		take_head(p, off, d, n);
		if (p->head_len < BINPROBE_HEAD && off + n < p->size)
			return VG_OK;
		classify(p);
		if (p->dead)
			return VG_OK;
		feed(p, 0, p->head, p->head_len);
		if (off + n > p->head_len) {
			size_t skip = p->head_len > off ? p->head_len - (size_t)off : 0;
			feed(p, off + skip, d + skip, n - skip);
		}
	} else {
		feed(p, off, d, n);
	}
	return p->oom ? vg_error_set(err, VG_ENOMEM, "binary probe: out of memory")
	              : VG_OK;
}

/* ---- the extract ---------------------------------------------------------- */

static int put_go(const struct binx_view *v, const struct gobin_loc *l,
                  struct vg_buf *b)
{
	uint64_t end = l->hdr_off + GOBIN_HDR;
	const unsigned char *d;
	int k;

	if (l->inline_strings)
		end = l->str_off[1] + l->modinfo.n;
	d = binx_read(v, l->hdr_off, (size_t)(end - l->hdr_off));
	if (!d || binx_put_extent(b, l->hdr_off, d, (size_t)(end - l->hdr_off),
	                          BINX_GO_WINDOW))
		return -1;
	for (k = 0; !l->inline_strings && k < 2; k++) {
		struct vg_str s = k ? l->modinfo : l->version;
		d = binx_read(v, l->strhdr_off[k], 2 * l->ptrsize);
		if (!d || binx_put_extent(b, l->strhdr_off[k], d, 2 * l->ptrsize,
		                          BINX_RANGE))
			return -1;
		if (s.n && binx_put_extent(b, l->str_off[k], s.p, s.n,
		                           BINX_GO_STRING))
			return -1;
	}
	return 0;
}

/* Bytes of the zlib stream that starts c (all of c when it does not end
 * within BINPROBE_RUST_MAX_OUT inflated bytes: the cataloger then says
 * why). Only the stream is kept, not the symbol tables after it. */
static size_t zlib_length(struct probe *p, const struct span *c)
{
	unsigned char sink[16384];
	uint64_t out = 0;
	int r = Z_OK;

	if (!p->z_on || inflateReset(&p->z) != Z_OK)
		return c->filled;
	p->z.next_in = c->buf;
	p->z.avail_in = (uInt)c->filled;
	while (r == Z_OK && out < BINPROBE_RUST_MAX_OUT) {
		p->z.next_out = sink;
		p->z.avail_out = sizeof(sink);
		r = inflate(&p->z, Z_NO_FLUSH);
		out += sizeof(sink) - p->z.avail_out;
		if (r == Z_BUF_ERROR)
			break;
	}
	return r == Z_STREAM_END ? (size_t)p->z.total_in : c->filled;
}

/* The cargo-auditable stream found, if any, as the extract. */
static int extract_rust(struct probe *p, struct vg_buf *b)
{
	size_t i;

	for (i = 0; i < p->n_cands; i++)
		if (p->cands[i].tag == BINX_RUST_DEP)
			return binx_put_header(b, p->size) ||
			       binx_put_extent(b, 0, p->head, p->head_len, BINX_RANGE) ||
			       binx_put_extent(b, p->cands[i].off, p->cands[i].buf,
			                       zlib_length(p, &p->cands[i]),
			                       BINX_RUST_DEP);
	return 0;
}

/* Append the fingerprint evidence (starting the extract if nothing else
 * was kept). */
static int put_finger(struct probe *p, struct vg_buf *b)
{
	const struct finger_hit *h;
	size_t i, n;

	if (!p->finger)
		return 0;
	n = finger_scan_end(p->finger, &h);
	if (n == (size_t)-1)
		return -1; /* out of memory */
	if (n && !b->len && binx_put_header(b, p->size))
		return -1;
	for (i = 0; i < n; i++)
		if (binx_put_extent(b, h[i].off, h[i].data, h[i].len,
		                    BINX_FINGER_TAG(h[i].rule)))
			return -1;
	return 0;
}

/* Build the extract into b; 0 with b empty when there is nothing. */
static int extract(struct probe *p, struct vg_buf *b)
{
	struct binx_view v;
	struct gobin_loc loc;
	enum gobin_status st;

	if (p->dead || !p->classified)
		return 0;
	block_flush(p);
	if (!p->is_go)
		return extract_rust(p, b);
	go_resolve(p, &v, &loc, &st, 1);
	if (st == GOBIN_NONE) /* a PE / Mach-O file may still be Rust */
		return p->also_rust ? extract_rust(p, b) : 0;
	if (binx_put_header(b, p->size) ||
	    binx_put_extent(b, 0, p->head, p->head_len, BINX_RANGE))
		return -1;
	if (st == GOBIN_FOUND)
		return put_go(&v, &loc, b);
	/* malformed or missing: keep the window's start so the
	 * cataloger reports the same reason */
	return binx_put_extent(b, p->window.off, p->window.buf,
	                       p->window.filled < GOBIN_SEARCH ?
	                       p->window.filled : GOBIN_SEARCH, p->window.tag);
}

static void probe_free(struct probe *p)
{
	size_t i;

	if (!p)
		return;
	vg_free(p->window.buf);
	for (i = 0; i < p->n_want; i++)
		vg_free(p->want[i].buf);
	for (i = 0; i < p->n_cands; i++)
		vg_free(p->cands[i].buf);
	vg_free(p->cands);
	vg_free(p->block);
	finger_scan_free(p->finger);
	if (p->z_on)
		inflateEnd(&p->z);
	vg_free(p);
}

static enum vg_code finish(struct probe *p, struct vg_buf *b,
                           struct vg_error *err)
{
	if (!p->classified && !p->dead && p->head_len) {
		classify(p); /* stream ended before the head filled */
		if (!p->dead)
			feed(p, 0, p->head, p->head_len);
	}
	if (p->oom || extract(p, b) != 0 || put_finger(p, b) != 0) {
		if (b->too_large)
			return VG_OK; /* over the cap: nothing kept */
		return vg_error_set(err, VG_ENOMEM, "binary probe: out of memory");
	}
	return VG_OK;
}

enum vg_code binprobe_end(void *ctx, void *state, int ok,
                          struct vg_fs_entry *e, struct arena *arena,
                          struct vg_error *err)
{
	struct probe *p = state;
	struct vg_buf b = VG_BUF_INIT(64u << 20);
	struct vg_capture *c;
	enum vg_code rc = VG_OK;

	(void)ctx;
	if (ok)
		rc = finish(p, &b, err);
	probe_free(p);
	if (rc != VG_OK || !b.len) {
		vg_buf_release(&b);
		return rc;
	}
	c = arena_alloc(arena, sizeof(*c));
	if (c)
		c->data = arena_memdup(arena, b.ptr, b.len);
	if (c && c->data) {
		c->size = b.len;
		e->extract = c;
	} else {
		rc = vg_error_set(err, VG_ELIMIT, "binary probe: scan memory "
		                  "exhausted at '%s'", e->path);
	}
	vg_buf_release(&b);
	return rc;
}

enum vg_code binprobe_buffer(const unsigned char *data, size_t size,
                             size_t chunk, struct vg_buf *out,
                             struct vg_error *err)
{
	return binprobe_buffer_at("buffer", 0755, data, size, chunk, out, err);
}

enum vg_code binprobe_buffer_at(const char *path, uint32_t mode,
                                const unsigned char *data, size_t size,
                                size_t chunk, struct vg_buf *out,
                                struct vg_error *err)
{
	struct vg_fs_entry e;
	struct probe *p;
	size_t off;
	enum vg_code rc;

	vg_buf_reset(out);
	memset(&e, 0, sizeof(e));
	e.type = VG_FS_REG;
	e.mode = mode;
	e.size = size;
	e.path = path;
	rc = binprobe_begin(NULL, &e, (void **)&p, err);
	if (rc != VG_OK || !p)
		return rc;
	if (!chunk)
		chunk = size ? size : 1;
	for (off = 0; rc == VG_OK && off < size; off += chunk)
		rc = binprobe_data(NULL, p, off, data + off,
		                   size - off < chunk ? size - off : chunk, err);
	if (rc == VG_OK)
		rc = finish(p, out, err);
	probe_free(p);
	return rc;
}
