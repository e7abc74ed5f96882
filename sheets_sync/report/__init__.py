"""The generated tabs as plain data (rows of cells with their styles, which both workbook
backends render): «Сводка», «Просрочено», «Сроки», «Проблемы», and the rows of «Журнал
рассылки». Pure."""
