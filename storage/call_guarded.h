// What every backend does with the caller's transaction function: an
// exception thrown by it becomes kInternal (after which the backend aborts the
// transaction as for any failure), so none escapes the storage module.
// Internal to the backends.
#pragma once

#include <passerelle/result.h>

namespace passerelle::storage {

template <class Fn, class Txn>
Status call_guarded(const Fn& fn, Txn& txn) {
  try {
    return fn(txn);
  } catch (...) {
    return fail(Error::internal("storage: the transaction function threw an exception"));
  }
}

}  // namespace passerelle::storage
