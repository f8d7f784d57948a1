//! Files through the real gphoto2: listing, downloading (byte-identical),
//! thumbnails, uploading and deleting.
// Test code: a failed unwrap or index is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use ptp_e2e::camera::{TestCamera, sample_dir};
use ptp_e2e::gphoto2::Gphoto2;
use ptp_e2e::temp::{TempDir, files};
use std::path::Path;

#[test]
fn list_files_shows_the_tree() {
    let camera = TestCamera::start("list");
    let Some(gphoto2) = Gphoto2::for_camera("list_files", camera.addr()) else {
        return;
    };
    let run = gphoto2
        .run(camera.path(), &["--list-files"])
        .expect_success("--list-files");
    assert!(
        run.stdout
            .contains("There are 2 files in folder '/store_00010001'."),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("There are 2 files in folder '/store_00010001/DCIM/100VCAM'."),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("checker.jpg"), "{}", run.stdout);
    // Image sizes from the JPEG frame headers.
    assert!(run.stdout.contains("800x600  image/jpeg"), "{}", run.stdout);
    assert!(run.stdout.contains("480x640  image/jpeg"), "{}", run.stdout);
    let folders = gphoto2
        .run(camera.path(), &["--list-folders"])
        .expect_success("--list-folders");
    assert!(
        folders.stdout.contains("/store_00010001/DCIM/100VCAM"),
        "{}",
        folders.stdout
    );
}

#[test]
fn get_all_files_is_byte_identical() {
    let camera = TestCamera::start("get-all");
    let Some(gphoto2) = Gphoto2::for_camera("get_all_files", camera.addr()) else {
        return;
    };
    let download = TempDir::new("download").unwrap();
    gphoto2
        .run(download.path(), &["--get-all-files"])
        .expect_success("--get-all-files");
    let served = files(&sample_dir());
    let got = files(download.path());
    assert_eq!(got.len(), served.len(), "got {got:?}, served {served:?}");
    for relative in served {
        let name = relative.file_name().unwrap();
        let original = std::fs::read(sample_dir().join(&relative)).unwrap();
        let copy = std::fs::read(download.path().join(name)).unwrap();
        assert!(
            original == copy,
            "{} differs after download",
            relative.display()
        );
    }
}

#[test]
fn thumbnails_are_jpegs() {
    let camera = TestCamera::start("thumbs");
    let Some(gphoto2) = Gphoto2::for_camera("thumbnails", camera.addr()) else {
        return;
    };
    let download = TempDir::new("thumbs").unwrap();
    gphoto2
        .run(download.path(), &["--get-all-thumbnails"])
        .expect_success("--get-all-thumbnails");
    let thumbs = files(download.path());
    assert_eq!(thumbs.len(), 3, "{thumbs:?}");
    for thumb in thumbs {
        let bytes = std::fs::read(download.path().join(&thumb)).unwrap();
        let header = virtual_camera::jpeg::parse_header(&bytes).unwrap();
        let (w, h) = header.size.unwrap();
        assert!(w <= 160 && h <= 160, "{} is {w}x{h}", thumb.display());
    }
}

#[test]
fn upload_lands_in_the_directory_and_never_overwrites() {
    let camera = TestCamera::start("upload");
    let Some(gphoto2) = Gphoto2::for_camera("upload_file", camera.addr()) else {
        return;
    };
    let work = TempDir::new("upload-src").unwrap();
    let payload: Vec<u8> = (0..300_000u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(work.path().join("upload.bin"), &payload).unwrap();
    gphoto2
        .run(
            work.path(),
            &[
                "--folder",
                "/store_00010001/DCIM",
                "--upload-file",
                "upload.bin",
            ],
        )
        .expect_success("--upload-file");
    let landed = camera.path().join("DCIM/upload.bin");
    assert_eq!(std::fs::read(&landed).unwrap(), payload);
    // No temporary file left behind.
    let leftovers: Vec<_> = files(camera.path())
        .into_iter()
        .filter(|p| p.to_string_lossy().contains(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The same name again: refused, the first file kept.
    std::fs::write(work.path().join("upload.bin"), b"other").unwrap();
    let again = gphoto2.run(
        work.path(),
        &[
            "--folder",
            "/store_00010001/DCIM",
            "--upload-file",
            "upload.bin",
        ],
    );
    assert!(!again.success, "a second upload of the same name must fail");
    assert_eq!(std::fs::read(&landed).unwrap(), payload);
    let listed = gphoto2
        .run(camera.path(), &["--list-files"])
        .expect_success("--list-files");
    assert!(listed.stdout.contains("upload.bin"), "{}", listed.stdout);
}

#[test]
fn delete_file_removes_it_from_the_directory() {
    let camera = TestCamera::start("delete");
    let Some(gphoto2) = Gphoto2::for_camera("delete_file", camera.addr()) else {
        return;
    };
    let target = camera.path().join("DCIM/100VCAM/IMG_0002.JPG");
    assert!(target.exists());
    gphoto2
        .run(
            camera.path(),
            &[
                "--folder",
                "/store_00010001/DCIM/100VCAM",
                "--delete-file",
                "2",
            ],
        )
        .expect_success("--delete-file");
    assert!(!target.exists(), "IMG_0002.JPG still on disk");
    assert!(camera.path().join("DCIM/100VCAM/IMG_0001.JPG").exists());
    let listed = gphoto2
        .run(camera.path(), &["--list-files"])
        .expect_success("--list-files");
    assert!(!listed.stdout.contains("IMG_0002.JPG"), "{}", listed.stdout);
    assert!(Path::new(&camera.path().join("checker.jpg")).exists());
}
