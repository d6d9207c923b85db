//! Identifiers cannot be bound parameters, so an extension name reaches SQL only quoted here:
//! double quotes around it, any inner `"` doubled (PostgreSQL's own `quote_ident` rule, minus its
//! "leave simple names bare" shortcut). Names PostgreSQL would silently truncate are refused.

use super::SqlError;

/// PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

/// `name` as one quoted identifier, or why it cannot be one.
pub fn quote_ident(name: &str) -> Result<String, SqlError> {
    if name.is_empty() {
        return Err(SqlError::InvalidName("an empty name".into()));
    }
    if name.len() > MAX_IDENTIFIER_BYTES {
        return Err(SqlError::InvalidName(format!(
            "{name:?} is {} bytes long; PostgreSQL would truncate it to {MAX_IDENTIFIER_BYTES}",
            name.len()
        )));
    }
    if name.contains('\0') {
        return Err(SqlError::InvalidName(format!("{name:?} contains a NUL character")));
    }
    Ok(format!("\"{}\"", name.replace('"', "\"\"")))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Reads a quoted identifier back the way PostgreSQL's scanner does: the text between the
    /// outer quotes with `""` meaning `"`. Returns the name and what follows the identifier.
    fn scan(quoted: &str) -> Option<(String, &str)> {
        let mut rest = quoted.strip_prefix('"')?;
        let mut name = String::new();
        loop {
            let at = rest.find('"')?;
            name.push_str(&rest[..at]);
            rest = &rest[at + 1..];
            match rest.strip_prefix('"') {
                Some(after) => {
                    name.push('"');
                    rest = after;
                }
                None => return Some((name, rest)),
            }
        }
    }

    #[test]
    fn quotes_hyphens_quotes_and_hostile_names() {
        assert_eq!(quote_ident("uuid-ossp").unwrap(), "\"uuid-ossp\"");
        assert_eq!(quote_ident("a\"b").unwrap(), "\"a\"\"b\"");
        assert_eq!(quote_ident("\"; DROP TABLE x; --").unwrap(), "\"\"\"; DROP TABLE x; --\"");
    }

    #[test]
    fn refuses_empty_nul_and_too_long_names() {
        assert!(quote_ident("").is_err());
        assert!(quote_ident("a\0b").is_err());
        assert!(quote_ident(&"x".repeat(63)).is_ok());
        assert!(quote_ident(&"x".repeat(64)).is_err());
        // 63 bytes counted as bytes, not characters: 32 two-byte characters are 64 bytes.
        assert!(quote_ident(&"é".repeat(32)).is_err());
    }

    proptest! {
        /// Whatever the name, the quoted form is exactly one identifier that reads back as it.
        #[test]
        fn any_name_is_one_identifier(name in "\\PC{1,40}|[\"; -]{1,20}") {
            prop_assume!(name.len() <= MAX_IDENTIFIER_BYTES && !name.contains('\0'));
            let quoted = quote_ident(&name).unwrap();
            let (read, rest) = scan(&quoted).expect("a closed quoted identifier");
            prop_assert_eq!(read, name);
            prop_assert_eq!(rest, "");
        }
    }
}
