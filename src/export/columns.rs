//! Flat tables of plain columns written as Parquet files through the `parquet` crate's column
//! writers (no Arrow: the flat tables need none of it, and the build is lighter without it), and
//! read back by column name with the crate's row reader.

use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::errors::ParquetError;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::Write;
use std::sync::Arc;

/// One column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    I32(Vec<i32>),
    I64(Vec<i64>),
    Bool(Vec<bool>),
    Str(Vec<String>),
}

impl Values {
    fn len(&self) -> usize {
        match self {
            Values::I32(v) => v.len(),
            Values::I64(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Str(v) => v.len(),
        }
    }

    fn field(&self, name: &str) -> Result<Type, ParquetError> {
        let (physical, logical) = match self {
            Values::I32(_) => (Physical::INT32, None),
            Values::I64(_) => (Physical::INT64, None),
            Values::Bool(_) => (Physical::BOOLEAN, None),
            Values::Str(_) => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
        };
        Type::primitive_type_builder(name, physical)
            .with_repetition(Repetition::REQUIRED)
            .with_logical_type(logical)
            .build()
    }
}

/// A table: named columns of equal length.
#[derive(Debug, Default)]
pub struct Table {
    pub columns: Vec<(&'static str, Values)>,
}

impl Table {
    /// Rows in the table (the first column's length).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, v)| v.len())
    }

    /// Writes the table as one Parquet file (one row group, Snappy-compressed, as Spark writes its
    /// own) into `out`.
    pub fn write<W: Write + Send>(&self, out: W) -> Result<(), ParquetError> {
        let fields = self
            .columns
            .iter()
            .map(|(name, v)| v.field(name).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        let schema = Arc::new(Type::group_type_builder("chachong").with_fields(fields).build()?);
        let props = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
        let mut writer = SerializedFileWriter::new(out, schema, props)?;
        let mut group = writer.next_row_group()?;
        let mut columns = self.columns.iter();
        while let Some(mut col) = group.next_column()? {
            let Some((_, values)) = columns.next() else {
                return Err(ParquetError::General("more columns in the schema than values".into()));
            };
            match values {
                Values::I32(v) => col.typed::<Int32Type>().write_batch(v, None, None)?,
                Values::I64(v) => col.typed::<Int64Type>().write_batch(v, None, None)?,
                Values::Bool(v) => col.typed::<BoolType>().write_batch(v, None, None)?,
                Values::Str(v) => {
                    let bytes: Vec<ByteArray> = v.iter().map(|s| ByteArray::from(s.as_str())).collect();
                    col.typed::<ByteArrayType>().write_batch(&bytes, None, None)?
                }
            };
            col.close()?;
        }
        group.close()?;
        writer.close()?;
        Ok(())
    }
}
