#pragma once
// A value or the errors that prevented it. The core never throws across its API (WASM builds
// have exception catching off), so every fallible function returns one of these.
#include <optional>
#include <utility>

#include "hcp/error.h"

namespace hcp {

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose, like std::optional
  Result(Error error) { errors_.push_back(std::move(error)); }  // NOLINT
  Result(Errors errors) : errors_(std::move(errors)) {}          // NOLINT: must be non-empty

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  const T* operator->() const { return &*value_; }
  const Errors& errors() const { return errors_; }

 private:
  std::optional<T> value_;
  Errors errors_;
};

}  // namespace hcp
