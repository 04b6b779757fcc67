"""部门填报: send each 责任部门 its part of the ledger as a workbook, take the returns back in, remind.

send.py writes the workbooks, workbook.py reads a return, preview.py compares it with the ledger,
merge.py applies what the clerk accepted (one transaction per file), status.py and remind.py report.
"""
