"""`python main.py restore`: from a backup, or back to a safety copy (`--list`, `--undo`)."""
from __future__ import annotations

import argparse
from pathlib import Path

from app.errors import ValidationError


def cmd_restore(args: argparse.Namespace, db_path: Path) -> int:
    from app.safety_copies import list_safety_copies, undo_restore

    chosen = [bool(args.archive), bool(args.list), args.undo is not None]
    if sum(chosen) != 1:
        raise ValidationError("请给出要恢复的备份文件，或使用 --list（列出安全副本）、--undo（换回安全副本）其中之一。")
    if args.list:
        copies = list_safety_copies(db_path)
        if not copies:
            print("没有安全副本（恢复备份或升级数据库时才会自动保存）。")
        for c in copies:
            print(f"{c.name}\t{c.kind}\t{c.taken:%Y-%m-%d %H:%M:%S}\t{c.size / 1048576:.1f} MB\t{c.summary}")
        return 0
    if args.undo is not None:
        source, safety = undo_restore(db_path, args.undo or None)
        print(f"已换回安全副本 {source.name}。" + (f"换回前的数据库另存为 {safety.name}" if safety else ""))
        return 0
    from app.restore import restore_backup

    safety = restore_backup(args.archive, db_path)
    print(f"已从 {args.archive} 恢复。" + (f"原数据库已另存为 {safety}（可用 restore --undo 换回）" if safety else ""))
    return 0
