/// Placeholder until the audit files land.
enum AuditPlaceholder {}
