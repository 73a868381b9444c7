//! The connector model of every sample, as a readable dump: what each declares and how names
//! resolved. A new sample folder gets its own snapshot.

use mezcheck::model::Model;
use mezcheck::model::connector::Connector;

/// One snapshot per sample project folder.
#[test]
fn sample_models() {
    insta::glob!("../samples", "*/resources.resx", |resx| {
        let folder = resx.parent().expect("sample folder");
        let name = folder
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let package =
            mezcheck::package::load(folder, &format!("samples/{name}")).expect("sample loads");
        let model = Model::build(package);
        let connector = Connector::build(&model);
        insta::assert_snapshot!(mezcheck::model::products::dump::dump(&connector));
    });
}
