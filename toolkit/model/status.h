// Errors as values. Every layer returns Status or Result<T>; only the CLI turns
// them into exit codes and messages.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace otharden {

class Status {
 public:
  enum class Code {
    kOk,
    kNotFound,        // the thing asked for does not exist
    kInvalidInput,    // a file or argument the user gave us is malformed
    kIoError,         // reading or writing failed
    kNotSupported,    // this host, OS or build cannot do it
    kAccessDenied,    // the host refused: usually not elevated
    kHostError,       // a host API failed (SCM, firewall, registry): not the user's input
    kInternal,        // a bug or an API that broke its contract
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status InvalidInput(std::string m) { return Status(Code::kInvalidInput, std::move(m)); }
  static Status IoError(std::string m) { return Status(Code::kIoError, std::move(m)); }
  static Status NotSupported(std::string m) { return Status(Code::kNotSupported, std::move(m)); }
  static Status AccessDenied(std::string m) { return Status(Code::kAccessDenied, std::move(m)); }
  static Status HostError(std::string m) { return Status(Code::kHostError, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid input: <message>" and the like; "OK" for success.
  std::string ToString() const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
// REQUIRES: a Result is never built from an OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace otharden
