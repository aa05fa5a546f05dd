/* The ingest engine's per-event loop in C: `aggregator.py`'s `_feed_group` and
 * `_feed_user_property`, rule for rule: the work beyond decoding a line drops from about
 * 1.3 us to 0.55 us, about 1.5 times the engine's throughput (benchmarks/results/ingest.md).
 *
 * Why native: in CPython, pulling an event's fields out of the decoded Struct, hashing its
 * dedupe key and probing two large hash sets (the day's dedupe keys and each account's
 * users) cost twice as much as decoding the line (benchmarks/ingest.py NOTES). Here:
 *
 * - lines are still decoded by msgspec, into the same narrow Struct (`decoding.py`), and
 *   a line msgspec refuses is handed back to Python (`bad_line`) to be named and counted;
 * - the dedupe key is exactly `dedupe.dedupe_key` (CPython's tuple hash of
 *   (event, distinct_id, time, $insert_id), masked to 60 bits), kept in an open-addressing
 *   table of 8-byte slots instead of a set of int objects (~70 bytes per key);
 * - a user is added to its source's Python set only the first time the (source, user) pair
 *   is seen: the pair's 64-bit hash is kept in a second table, so the hot path never
 *   touches the set or the strings in it. Two different pairs sharing a 64-bit hash (odds
 *   about n^2 / 2^65 for n pairs in a day) would undercount one user by one;
 * - a source's events and first/last seen are counted in C during a feed and written back
 *   into its state list when the feed returns (no int allocated per event);
 * - new sources, new users on the profile path and everything else that happens once per
 *   value or per user stay in Python (`value_state`, `user_state`).
 *
 * Built against the stable ABI (Py_LIMITED_API 3.11): one `_engine.abi3.so` per
 * architecture serves Python 3.11 locally and 3.12 in Lambda. Built by `scripts/native.py`
 * (make install for this machine; the layer build for arm64). The Python loop remains the reference:
 * `aggregator.py` uses it when this module is not built, and the tests run both.
 */
#define Py_LIMITED_API 0x030B0000
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MASK ((((uint64_t)1) << 60) - 1)

/* Py_SETREF is not part of the limited API */
#define Py_SETREF_COMPAT(target, value)                                                    \
    do {                                                                                   \
        PyObject *_old = (PyObject *)(target);                                             \
        (target) = (value);                                                                \
        Py_DECREF(_old);                                                                   \
    } while (0)

/* -- a set of nonzero 64-bit keys: open addressing, linear probing ----------------------- */

typedef struct {
    uint64_t *slots; /* 0 = empty */
    size_t cap;      /* a power of two */
    size_t len;
} KeyTable;

static inline uint64_t mix64(uint64_t x) { /* splitmix64's finalizer */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static int table_grow(KeyTable *t) {
    size_t cap = t->cap ? t->cap * 2 : 1024;
    uint64_t *slots = calloc(cap, sizeof(uint64_t));
    if (!slots) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++) {
        uint64_t k = t->slots[i];
        if (k) {
            size_t j = mix64(k) & (cap - 1);
            while (slots[j]) j = (j + 1) & (cap - 1);
            slots[j] = k;
        }
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* Where `key`'s probe starts, its cache line requested now so that the probe, a few
 * steps later, does not wait for memory: (size_t)-1 on memory error. key != 0. */
static inline size_t table_prefetch(KeyTable *t, uint64_t key) {
    if ((t->len + 1) * 10 > t->cap * 7 && table_grow(t) < 0) return (size_t)-1;
    size_t j = mix64(key) & (t->cap - 1);
    __builtin_prefetch(&t->slots[j], 1, 3);
    return j;
}

/* 1 if the key was new (now added), 0 if present; `j` from table_prefetch (the table has
 * not changed since). */
static inline int table_add_at(KeyTable *t, uint64_t key, size_t j) {
    size_t mask = t->cap - 1;
    for (;;) {
        uint64_t k = t->slots[j];
        if (k == key) return 0;
        if (!k) break;
        j = (j + 1) & mask;
    }
    t->slots[j] = key;
    t->len++;
    return 1;
}

static void table_free(KeyTable *t) {
    free(t->slots);
    t->slots = NULL;
    t->cap = t->len = 0;
}

/* -- CPython's tuple hash (3.8+), so keys equal dedupe.dedupe_key ------------------------ */

#define XXPRIME_1 ((uint64_t)11400714785074694791ULL)
#define XXPRIME_2 ((uint64_t)14029467366897019727ULL)
#define XXPRIME_5 ((uint64_t)2870177450012600261ULL)
#define XXROTATE(x) ((x << 31) | (x >> 33))

/* dedupe.dedupe_key of these four objects; -1 with an exception set if one is unhashable */
static int64_t dedupe_key4(PyObject *items[4]) {
    uint64_t acc = XXPRIME_5;
    for (int i = 0; i < 4; i++) {
        Py_hash_t lane = PyObject_Hash(items[i]);
        if (lane == -1) return -1;
        acc += (uint64_t)lane * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    acc += 4 ^ (XXPRIME_5 ^ 3527539UL);
    if (acc == (uint64_t)-1) acc = 1546275796;
    return (int64_t)(acc & KEY_MASK);
}

/* -- per-source counters kept in C during a feed ----------------------------------------
 * A source's events and first/last seen are counted here, keyed by the state list, and
 * written back into the list (state[0..2]) when feed returns: no int object is allocated
 * per event, and first/last compare as doubles, falling back to Python's comparison only
 * on a tie (int -> double is monotonic, so a strict double inequality is exact). */

typedef struct {
    PyObject *state; /* borrowed (by_value / by_user keep it); NULL: empty */
    Py_ssize_t events;
    double first_d, last_d;
    PyObject *first, *last; /* owned */
} Cell;

typedef struct {
    Cell *cells;
    size_t cap, len;
} CellTable;

static double as_double(PyObject *number) { /* monotonic; -1.0 with an error on failure */
    double d = PyFloat_Check(number) ? PyFloat_AsDouble(number) : PyLong_AsDouble(number);
    if (d == -1.0 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError)) return -1.0;
        PyErr_Clear(); /* an int beyond any double: beyond every finite time too */
        int negative = PyObject_RichCompareBool(number, Py_False, Py_LT);
        if (negative < 0) return -1.0;
        d = negative ? -HUGE_VAL : HUGE_VAL;
    }
    return d;
}

static inline size_t cell_slot(const CellTable *t, PyObject *state) {
    size_t j = mix64((uint64_t)(uintptr_t)state) & (t->cap - 1);
    while (t->cells[j].state && t->cells[j].state != state) j = (j + 1) & (t->cap - 1);
    return j;
}

static int cells_grow(CellTable *t) {
    CellTable bigger = {calloc(t->cap ? t->cap * 2 : 256, sizeof(Cell)), t->cap ? t->cap * 2 : 256,
                        t->len};
    if (!bigger.cells) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++)
        if (t->cells[i].state) bigger.cells[cell_slot(&bigger, t->cells[i].state)] = t->cells[i];
    free(t->cells);
    *t = bigger;
    return 0;
}

/* The cell of this state list, made from the list the first time in a feed. */
static inline Cell *cell_of(CellTable *t, PyObject *state) {
    if ((t->len + 1) * 2 > t->cap && cells_grow(t) < 0) return NULL;
    Cell *c = &t->cells[cell_slot(t, state)];
    if (c->state) return c;
    PyObject *first = PyList_GetItem(state, 1), *last = first ? PyList_GetItem(state, 2) : NULL;
    if (!last) return NULL;
    double first_d = as_double(first), last_d;
    if (first_d == -1.0 && PyErr_Occurred()) return NULL;
    last_d = as_double(last);
    if (last_d == -1.0 && PyErr_Occurred()) return NULL;
    Py_INCREF(first);
    Py_INCREF(last);
    *c = (Cell){state, 0, first_d, last_d, first, last};
    t->len++;
    return c;
}

/* One event at `time` (t: as_double(time)) for this cell. */
static inline int cell_count(Cell *c, PyObject *time, double t) {
    c->events++;
    int r = t < c->first_d || (t == c->first_d && PyObject_RichCompareBool(time, c->first, Py_LT));
    if (r < 0) return -1;
    if (r) {
        Py_INCREF(time);
        Py_SETREF_COMPAT(c->first, time);
        c->first_d = t;
    }
    r = t > c->last_d || (t == c->last_d && PyObject_RichCompareBool(time, c->last, Py_GT));
    if (r < 0) return -1;
    if (r) {
        Py_INCREF(time);
        Py_SETREF_COMPAT(c->last, time);
        c->last_d = t;
    }
    return 0;
}

/* Write every cell back into its list (state[0] += events, state[1], state[2]) and empty
 * the table. Runs when feed returns, also on an error, which it keeps. */
static int cells_flush(CellTable *t) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    int status = 0;
    for (size_t i = 0; i < t->cap; i++) {
        Cell *c = &t->cells[i];
        if (!c->state) continue;
        PyObject *events = PyLong_FromSsize_t(c->events);
        PyObject *old = events ? PyList_GetItem(c->state, 0) : NULL;
        PyObject *sum = old ? PyNumber_Add(old, events) : NULL;
        Py_XDECREF(events);
        if (!sum || PyList_SetItem(c->state, 0, sum) < 0) status = -1;
        /* the list takes the cell's references */
        if (PyList_SetItem(c->state, 1, c->first) < 0) status = -1;
        if (PyList_SetItem(c->state, 2, c->last) < 0) status = -1;
        c->state = NULL;
    }
    t->len = 0;
    if (type) { /* the error that stopped the feed wins */
        PyErr_Clear();
        PyErr_Restore(type, value, traceback);
        return -1;
    }
    return status;
}

/* -- the Engine object: the day's two tables -------------------------------------------- */

typedef struct {
    PyObject_HEAD
    KeyTable seen;   /* dedupe keys + 1 */
    KeyTable pairs;  /* (source, user) pair hashes */
    CellTable cells; /* per-source counters, empty between feeds */
} Engine;

/* -- reading the decoded Struct's fields ------------------------------------------------ */

enum { F_EVENT, F_PROPERTIES, F_DISTINCT_ID, F_TIME, F_INSERT_ID, F_ACCOUNT, F_ORIGINAL_EVENT,
       F_ORIGINAL_DISTINCT_ID, N_FIELDS };
static const char *field_names[N_FIELDS] = {"event", "properties", "distinct_id", "time",
                                            "insert_id", "account", "original_event",
                                            "original_distinct_id"};
static PyObject *interned[N_FIELDS];

/* A field of the decoder's Struct type read through its slot descriptor, as `getattr`
 * would but without looking the name up on every event. Any other type (never the case
 * with a typed decoder) is read with PyObject_GetAttr. */
typedef struct {
    PyTypeObject *type; /* owned, NULL until the first read */
    PyObject *descr;    /* owned */
    descrgetfunc get;   /* NULL: read with PyObject_GetAttr */
} Field;

static int field_bind(Field *f, PyTypeObject *type, PyObject *name) {
    Py_XDECREF((PyObject *)f->type);
    Py_XDECREF(f->descr);
    Py_INCREF((PyObject *)type);
    f->type = type;
    f->get = NULL;
    f->descr = PyObject_GetAttr((PyObject *)type, name);
    if (!f->descr) {
        PyErr_Clear();
        return 0;
    }
    PyTypeObject *dtype = Py_TYPE(f->descr);
    /* a data descriptor (a slot): it wins over anything else getattr could find */
    if (PyType_GetSlot(dtype, Py_tp_descr_set))
        f->get = (descrgetfunc)PyType_GetSlot(dtype, Py_tp_descr_get);
    return 0;
}

static inline PyObject *field_read(Field *fields, int i, PyObject *obj) {
    Field *f = &fields[i];
    if (Py_TYPE(obj) != f->type) field_bind(f, Py_TYPE(obj), interned[i]);
    if (f->get) return f->get(f->descr, obj, (PyObject *)f->type);
    return PyObject_GetAttr(obj, interned[i]);
}

static void fields_release(Field *fields) {
    for (int i = 0; i < N_FIELDS; i++) {
        Py_CLEAR(fields[i].type);
        Py_CLEAR(fields[i].descr);
    }
}

static void Engine_dealloc(PyObject *self) {
    Engine *e = (Engine *)self;
    table_free(&e->seen);
    table_free(&e->pairs);
    free(e->cells.cells); /* empty: every feed flushes it */
    PyTypeObject *tp = Py_TYPE(self);
    freefunc tp_free = (freefunc)PyType_GetSlot(tp, Py_tp_free);
    tp_free(self);
    Py_DECREF(tp);
}

static PyObject *Engine_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    if (PyTuple_Size(args) || (kwds && PyDict_Size(kwds))) {
        PyErr_SetString(PyExc_TypeError, "Engine() takes no arguments");
        return NULL;
    }
    allocfunc alloc = (allocfunc)PyType_GetSlot(type, Py_tp_alloc);
    Engine *e = (Engine *)alloc(type, 0);
    if (!e) return NULL;
    memset(&e->seen, 0, sizeof(KeyTable));
    memset(&e->pairs, 0, sizeof(KeyTable));
    memset(&e->cells, 0, sizeof(CellTable));
    return (PyObject *)e;
}

/* counts[name] = counts.get(name, 0) + 1 */
static inline int count_feature(PyObject *state, PyObject *name, PyObject *one) {
    PyObject *counts = PyList_GetItem(state, 3);
    if (!counts) return -1;
    PyObject *old = PyDict_GetItemWithError(counts, name); /* borrowed */
    if (!old) {
        if (PyErr_Occurred()) return -1;
        return PyDict_SetItem(counts, name, one);
    }
    PyObject *new = PyNumber_Add(old, one);
    if (!new) return -1;
    int r = PyDict_SetItem(counts, name, new);
    Py_DECREF(new);
    return r;
}

/* The (state, user) pair's key in the pairs table, its slot prefetched: 0 when there is no
 * user to count (None), -1 on error. */
static inline int pair_prefetch(Engine *e, PyObject *state, PyObject *distinct_id,
                                uint64_t *pair, size_t *slot) {
    if (distinct_id == Py_None) return 0; /* None and "" are never users */
    Py_hash_t h = PyObject_Hash(distinct_id);
    if (h == -1) return -1;
    *pair = mix64((uint64_t)h ^ mix64((uint64_t)(uintptr_t)state));
    if (!*pair) *pair = 1;
    *slot = table_prefetch(&e->pairs, *pair);
    return *slot == (size_t)-1 ? -1 : 1;
}

/* state[4].add(distinct_id) the first time this (state, user) pair is seen */
static inline int add_user_at(Engine *e, PyObject *state, PyObject *distinct_id,
                              uint64_t pair, size_t slot) {
    if (!table_add_at(&e->pairs, pair, slot)) return 0;
    if (PyUnicode_Check(distinct_id) && PyUnicode_GetLength(distinct_id) == 0) return 0;
    PyObject *users = PyList_GetItem(state, 4);
    if (!users) return -1;
    return PySet_Add(users, distinct_id);
}

static inline int truthy_id(PyObject *distinct_id) { /* `distinct_id or distinct_id == 0` */
    if (distinct_id == Py_None) return 0;
    if (PyUnicode_Check(distinct_id)) return PyUnicode_GetLength(distinct_id) > 0;
    return 1; /* an int, 0 included */
}

/* feed(lines, start, decode, decode_error, bad_line, by_value, value_state, tracked,
 *      special, identity, hotshard, not_carried, by_user, user_state)
 *   -> (last line number, duplicates, ignored, hotshard restored, no user)
 *
 * Group mode when not_carried is None (users counted per source); user-property mode
 * otherwise (a source that is not_carried is replaced by the user's own state). */
static PyObject *Engine_feed(PyObject *self, PyObject *args) {
    Engine *e = (Engine *)self;
    PyObject *lines, *decode, *decode_error, *bad_line, *by_value, *value_state, *tracked,
        *special, *identity, *hotshard, *not_carried, *by_user, *user_state;
    Py_ssize_t number;
    if (!PyArg_ParseTuple(args, "OnOOOO!OO!O!O!UOOO:feed", &lines, &number, &decode,
                          &decode_error, &bad_line, &PyDict_Type, &by_value, &value_state,
                          &PyFrozenSet_Type, &tracked, &PyFrozenSet_Type, &special,
                          &PyFrozenSet_Type, &identity, &hotshard, &not_carried, &by_user,
                          &user_state))
        return NULL;
    int group = not_carried == Py_None;
    if (!group && !PyDict_Check(by_user)) {
        PyErr_SetString(PyExc_TypeError, "feed: by_user must be a dict in user-property mode");
        return NULL;
    }
    Py_ssize_t duplicates = 0, ignored = 0, hot = 0, no_user = 0;
    Field fields[N_FIELDS] = {{0}};
    PyObject *one = PyLong_FromLong(1);
    PyObject *it = PyObject_GetIter(lines);
    /* decode's argument tuple, reused while decode keeps no reference to it */
    PyObject *decode_args = PyTuple_New(1);
    if (!one || !it || !decode_args) goto fail;
    PyObject *line;
    while ((line = PyIter_Next(it))) {
        number++;
        if (Py_REFCNT(decode_args) != 1) {
            Py_DECREF(decode_args);
            decode_args = PyTuple_New(1);
            if (!decode_args) goto fail_line;
        }
        Py_INCREF(line);
        PyTuple_SetItem(decode_args, 0, line); /* the previous line is released */
        PyObject *event = PyObject_Call(decode, decode_args, NULL);
        if (!event) {
            if (!PyErr_ExceptionMatches(decode_error)) goto fail_line;
            PyErr_Clear();
            PyObject *n = PyLong_FromSsize_t(number);
            if (!n) goto fail_line;
            PyObject *r = PyObject_CallFunctionObjArgs(bad_line, n, line, NULL);
            Py_DECREF(n);
            if (!r) goto fail_line;
            Py_DECREF(r);
            Py_DECREF(line);
            continue;
        }
        Py_DECREF(line);
        /* owned references, released at `next` */
        PyObject *name = NULL, *props = NULL, *distinct_id = NULL, *time = NULL,
                 *insert_id = NULL, *raw = NULL;
        int ok = 0;
        name = field_read(fields, F_EVENT, event);
        props = name ? field_read(fields, F_PROPERTIES, event) : NULL;
        distinct_id = props ? field_read(fields, F_DISTINCT_ID, props) : NULL;
        if (!distinct_id) goto next;
        int r = PySet_Contains(special, name);
        if (r < 0) goto next;
        if (r) {
            r = PyObject_RichCompareBool(name, hotshard, Py_EQ);
            if (r < 0) goto next;
            if (!r) {
                ignored++;
                ok = 1;
                goto next;
            }
            hot++;
            PyObject *original = field_read(fields, F_ORIGINAL_EVENT, props);
            if (!original) goto next;
            if (original != Py_None && PyUnicode_GetLength(original) > 0) {
                Py_DECREF(name);
                name = original;
            } else {
                Py_DECREF(original);
            }
            Py_DECREF(distinct_id);
            distinct_id = field_read(fields, F_ORIGINAL_DISTINCT_ID, props);
            if (!distinct_id) goto next;
            r = PySet_Contains(identity, name);
            if (r < 0) goto next;
            if (r) {
                ignored++;
                ok = 1;
                goto next;
            }
        }
        time = field_read(fields, F_TIME, props);
        insert_id = time ? field_read(fields, F_INSERT_ID, props) : NULL;
        if (!insert_id) goto next;
        uint64_t key = 0; /* the dedupe key + 1, 0 without $insert_id */
        size_t key_slot = 0;
        if (insert_id != Py_None) {
            PyObject *items[4] = {name, distinct_id, time, insert_id};
            int64_t hashed = dedupe_key4(items);
            if (hashed < 0) goto next;
            key = (uint64_t)hashed + 1;
            key_slot = table_prefetch(&e->seen, key);
            if (key_slot == (size_t)-1) goto next;
        }
        raw = field_read(fields, F_ACCOUNT, props);
        if (!raw) goto next;
        PyObject *state = NULL; /* borrowed: sources live in by_value / by_user */
        if (PyUnicode_CheckExact(raw)) {
            state = PyDict_GetItemWithError(by_value, raw);
            if (!state && PyErr_Occurred()) goto next;
        }
        if (key && !table_add_at(&e->seen, key, key_slot)) {
            duplicates++;
            ok = 1;
            goto next;
        }
        if (!state) {
            PyObject *made = PyObject_CallFunctionObjArgs(value_state, raw, NULL);
            if (!made) goto next;
            state = made;
            Py_DECREF(made); /* kept alive by by_value (or it is the not_carried marker) */
        }
        if (!group && state == not_carried) { /* the user's profile decides */
            if (!truthy_id(distinct_id)) {
                no_user++;
                ok = 1;
                goto next;
            }
            state = PyDict_GetItemWithError(by_user, distinct_id);
            if (!state) {
                if (PyErr_Occurred()) goto next;
                PyObject *made = PyObject_CallFunctionObjArgs(user_state, distinct_id, NULL);
                if (!made) goto next;
                state = made;
                Py_DECREF(made); /* kept alive by by_user */
            }
        }
        if (!PyList_Check(state)) {
            PyErr_SetString(PyExc_TypeError, "feed: a source state must be a list");
            goto next;
        }
        uint64_t pair = 0;
        size_t pair_slot = 0;
        int user = group ? pair_prefetch(e, state, distinct_id, &pair, &pair_slot) : 0;
        if (user < 0) goto next;
        double t = as_double(time);
        if (t == -1.0 && PyErr_Occurred()) goto next;
        Cell *cell = cell_of(&e->cells, state);
        if (!cell || cell_count(cell, time, t) < 0) goto next;
        r = PySet_Contains(tracked, name);
        if (r < 0 || (r && count_feature(state, name, one) < 0)) goto next;
        if (user && add_user_at(e, state, distinct_id, pair, pair_slot) < 0) goto next;
        ok = 1;
    next:
        Py_DECREF(event);
        Py_XDECREF(name);
        Py_XDECREF(props);
        Py_XDECREF(distinct_id);
        Py_XDECREF(time);
        Py_XDECREF(insert_id);
        Py_XDECREF(raw);
        if (!ok) goto fail;
        continue;
    fail_line:
        Py_DECREF(line);
        goto fail;
    }
    if (PyErr_Occurred()) goto fail;
    if (cells_flush(&e->cells) < 0) goto fail;
    fields_release(fields);
    Py_DECREF(decode_args);
    Py_DECREF(it);
    Py_DECREF(one);
    return Py_BuildValue("nnnnn", number, duplicates, ignored, hot, no_user);
fail:
    cells_flush(&e->cells); /* what was counted stays counted; the error is kept */
    fields_release(fields);
    Py_XDECREF(decode_args);
    Py_XDECREF(it);
    Py_XDECREF(one);
    return NULL;
}

static PyObject *Engine_dedupe_keys(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    return PyLong_FromSize_t(((Engine *)self)->seen.len);
}

static PyObject *Engine_dedupe_bytes(PyObject *self, PyObject *Py_UNUSED(ignored)) {
    return PyLong_FromSize_t(((Engine *)self)->seen.cap * sizeof(uint64_t));
}

static PyMethodDef Engine_methods[] = {
    {"feed", Engine_feed, METH_VARARGS, "Count these lines (see the C source)."},
    {"dedupe_keys", Engine_dedupe_keys, METH_NOARGS, "Distinct dedupe keys seen so far."},
    {"dedupe_bytes", Engine_dedupe_bytes, METH_NOARGS, "Bytes held by the dedupe table."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot Engine_slots[] = {
    {Py_tp_new, Engine_new},
    {Py_tp_dealloc, Engine_dealloc},
    {Py_tp_methods, Engine_methods},
    {Py_tp_doc, "One day's dedupe keys and (source, user) pairs, and the loop that fills them."},
    {0, NULL},
};

static PyType_Spec Engine_spec = {
    "usage_analytics.ingest._engine.Engine", sizeof(Engine), 0, Py_TPFLAGS_DEFAULT,
    Engine_slots,
};

/* dedupe_key(event, distinct_id, time, insert_id): the key the table stores, for tests */
static PyObject *mod_dedupe_key(PyObject *mod, PyObject *args) {
    PyObject *items[4];
    if (!PyArg_ParseTuple(args, "OOOO:dedupe_key", &items[0], &items[1], &items[2], &items[3]))
        return NULL;
    int64_t key = dedupe_key4(items);
    if (key < 0) return NULL;
    return PyLong_FromLongLong(key);
}

#ifndef SOURCE_DIGEST
#define SOURCE_DIGEST "unknown"
#endif

static PyMethodDef module_methods[] = {
    {"dedupe_key", mod_dedupe_key, METH_VARARGS, "dedupe.dedupe_key, computed in C."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_engine", "The ingest engine's per-event loop in C.", -1,
    module_methods,
};

PyMODINIT_FUNC PyInit__engine(void) {
    for (int i = 0; i < N_FIELDS; i++)
        if (!(interned[i] = PyUnicode_InternFromString(field_names[i]))) return NULL;
    PyObject *mod = PyModule_Create(&module_def);
    if (!mod) return NULL;
    if (PyModule_AddStringConstant(mod, "SOURCE_DIGEST", SOURCE_DIGEST) < 0) {
        Py_DECREF(mod);
        return NULL;
    }
    PyObject *type = PyType_FromSpec(&Engine_spec);
    if (!type || PyModule_AddObject(mod, "Engine", type) < 0) {
        Py_XDECREF(type);
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
